package ma3c.learner;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import ma3c.cli.CliErrors;
import ma3c.cli.OptionChecks;
import ma3c.cli.ProjectVersion;
import ma3c.cli.metrics.MetricsEndpoint;
import ma3c.cli.metrics.MetricsOptions;
import ma3c.cli.security.ClientSecurityOptions;
import ma3c.dashboard.DashboardCommand;
import ma3c.dashboard.DashboardServer;
import ma3c.env.ale.RomDirectory;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.allocation.AllocationPolicy;
import ma3c.learner.algo.Freeze;
import ma3c.learner.bench.RooflineCommand;
import ma3c.learner.bench.TrainingBenchmark;
import ma3c.learner.distill.Teachers;
import ma3c.learner.evaluate.EvaluateCommand;
import ma3c.learner.experiment.ExperimentCommand;
import ma3c.learner.export.ExportCommand;
import ma3c.learner.play.PlayCommand;
import ma3c.learner.plot.PlotCommand;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.RunConfig;
import ma3c.learner.run.RunDirectory;
import ma3c.learner.transfer.WarmStart;
import ma3c.model.Architecture;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The learner's command line: train (default), plot, bench, roofline, ... */
@Command(name = "ma3c", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
    description = "Multi-task asynchronous advantage actor-critic (A3C, MA3C-1, MA3C-2) on Atari.",
    subcommands = {LearnerMain.Train.class, LearnerMain.Distill.class, ExportCommand.class, PlayCommand.class,
        EvaluateCommand.class, PlotCommand.class, ExperimentCommand.class, TrainingBenchmark.class, RooflineCommand.class,
        DashboardCommand.class})
public final class LearnerMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(LearnerMain.class);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = CliErrors.VERBOSE, scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  boolean verbose;

  /** Reached only through picocli when no subcommand matched (main() defaults to train). */
  @Override
  public Integer call() {
    spec.commandLine().usage(System.out);
    return 0;
  }

  /** Trains, or resumes a run. */
  @Command(name = "train", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
      description = "Train (the default command).")
  public static class Train implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--games", defaultValue = "pong,breakout",
        description = "Games, split over --threads (pong,breakout) or weighted (pong:6,breakout:10). Default: ${DEFAULT-VALUE}.")
    String games;

    @Option(names = "--threads", description = "Actor-learner threads (default: "
        + RunConfig.DEFAULT_THREADS_PER_GAME + " per game, the paper's).")
    Integer threads;

    @Option(names = "--arch", defaultValue = "ma3c-2",
        description = "a3c (one game), ma3c-1 or ma3c-2. Default: ${DEFAULT-VALUE}.")
    String arch;

    @Option(names = "--lstm", description = "LSTM net (default: feed-forward over 4 stacked frames).")
    boolean lstm;

    @Option(names = "--frames", defaultValue = "" + A3CConfig.DEFAULT_FRAME_BUDGET,
        description = "Frame budget over all threads (frame skip included). Default: ${DEFAULT-VALUE}.")
    long frames;

    @Option(names = "--frames-per-game",
        description = "Budget per game instead: each game's threads stop at this many frames of their game"
            + " (the total is this times the games), so multi-task runs compare at equal frames per game.")
    Long framesPerGame;

    @Option(names = "--env", split = ",",
        description = "Env service endpoints host:port[,host:port...]; none: embedded in-process.")
    List<String> env = List.of();

    @Option(names = "--rom-dir", description = "ROMs for the embedded env service (default: $ALE_ROM_DIR, else ./roms).")
    Path romDir;

    @Option(names = "--env-connections", defaultValue = "1", paramLabel = "N|" + PER_THREAD,
        description = "Connections to each --env endpoint (1.." + RunConfig.MAX_THREADS + "), actor"
            + " threads taking them in turn; " + PER_THREAD + ": one for each actor thread, for an env"
            + " service run with --step-on-transport-threads (SCALING.md)."
            + " Not saved with the run. Default: ${DEFAULT-VALUE}.")
    String envConnections;

    /** --env-connections' value for a connection per actor thread. */
    static final String PER_THREAD = "per-thread";

    /** TLS and token for --env endpoints. */
    @CommandLine.Mixin
    ClientSecurityOptions envSecurity;

    @CommandLine.Mixin
    MetricsOptions metricsOptions;

    @Option(names = "--ui", paramLabel = "PORT",
        description = "While training, serve the live dashboard of this run and the runs beside it"
            + " at http://127.0.0.1:PORT/ (see `ma3c dashboard`).")
    Integer uiPort;

    @Option(names = "--run-dir", description = "Run directory (default: runs/<arch>-<games>-<time>).")
    Path runDir;

    @Option(names = "--resume",
        description = "Continue the run in this directory from its checkpoint (with --frames: to a new budget).")
    Path resume;

    @Option(names = "--resume-if-exists",
        description = "With --run-dir: resume the run there if it has a checkpoint, else start it (for restarted containers).")
    boolean resumeIfExists;

    @Option(names = "--init-from",
        description = "Start from another run's parameters (its directory or checkpoint): the blocks"
            + " the games share, and those of games it also played; new games get fresh heads"
            + " (and, under ma3c-1, a fresh LSTM). Architecture and LSTM default to the source's.")
    Path initFrom;

    @Option(names = "--freeze", defaultValue = "none",
        description = "With --init-from: blocks never updated: none, conv (the conv layers) or trunk"
            + " (every block the games share). Default: ${DEFAULT-VALUE}.")
    String freeze;

    @Option(names = "--allocation", defaultValue = RunConfig.EQUAL,
        description = "equal: each game keeps its thread group (the paper's). adaptive: every"
            + " --allocation-every frames one thread moves to the game whose score improves fastest,"
            + " within half to 1.5x its threads; a game at its budget gives its threads away."
            + " Default: ${DEFAULT-VALUE}.")
    String allocation;

    @Option(names = "--allocation-every", defaultValue = "" + AllocationPolicy.DECISION_FRAMES,
        description = "Frames (all games) between adaptive allocation decisions. Default: ${DEFAULT-VALUE}.")
    long allocationEvery;

    @Option(names = "--teachers", split = ",",
        description = "Policy distillation: learn from these per-game teachers (exported ONNX"
            + " policies, or directories holding <game>.onnx, e.g. runs/<run>/export) instead of"
            + " A3C's loss: KL to the teacher's actions and its value, on the student's own play.")
    List<String> teachers = List.of();

    @Option(names = "--seed", defaultValue = "1", description = "Run seed. Default: ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--gamma", defaultValue = "" + A3CConfig.DEFAULT_GAMMA,
        description = "Discount. Default: ${DEFAULT-VALUE}.") double gamma;
    @Option(names = "--t-max", description = "Rollout length (default: " + A3CConfig.DEFAULT_T_MAX_FF
        + " FF, " + A3CConfig.DEFAULT_T_MAX_LSTM + " LSTM).") Integer tMax;
    @Option(names = "--beta", defaultValue = "" + A3CConfig.DEFAULT_ENTROPY_BETA,
        description = "Entropy weight. Default: ${DEFAULT-VALUE}.") double beta;
    @Option(names = "--value-coef", defaultValue = "" + A3CConfig.DEFAULT_VALUE_COEF,
        description = "Value-loss weight. Default: ${DEFAULT-VALUE}.") double valueCoef;
    @Option(names = "--lr", defaultValue = "" + A3CConfig.DEFAULT_LEARNING_RATE,
        description = "RMSProp learning rate, annealed to 0. Default: ${DEFAULT-VALUE}.") double lr;
    @Option(names = "--rms-alpha", defaultValue = "" + A3CConfig.DEFAULT_RMS_ALPHA,
        description = "RMSProp decay. Default: ${DEFAULT-VALUE}.") double rmsAlpha;
    @Option(names = "--rms-eps", defaultValue = "" + A3CConfig.DEFAULT_RMS_EPSILON,
        description = "RMSProp epsilon (inside the square root). Default: ${DEFAULT-VALUE}.") double rmsEps;
    @Option(names = "--rms-init", defaultValue = "" + A3CConfig.DEFAULT_RMS_INIT,
        description = "Initial RMSProp mean square. Default: ${DEFAULT-VALUE}.") double rmsInit;
    @Option(names = "--clip-norm", defaultValue = "" + A3CConfig.DEFAULT_GRAD_CLIP_NORM,
        description = "Global gradient-norm clip. Default: ${DEFAULT-VALUE}.") double clipNorm;
    @Option(names = "--reward-clip", defaultValue = "" + A3CConfig.DEFAULT_REWARD_CLIP,
        description = "Training rewards clipped to [-x, x]. Default: ${DEFAULT-VALUE}.") double rewardClip;
    @Option(names = "--sticky", defaultValue = "" + RunConfig.DEFAULT_STICKY_ACTIONS,
        description = "Sticky-action probability. Default: ${DEFAULT-VALUE}.") float sticky;
    @Option(names = "--noop-max", defaultValue = "" + RunConfig.DEFAULT_NOOP_MAX,
        description = "Random no-op starts. Default: ${DEFAULT-VALUE}.") int noopMax;
    @Option(names = "--life-loss", description = "Train on life-loss episodes.") boolean lifeLoss;
    @Option(names = "--checkpoint-every", defaultValue = "300",
        description = "Seconds between checkpoints. Default: ${DEFAULT-VALUE}.") int checkpointSeconds;
    @Option(names = "--progress-every", defaultValue = "10",
        description = "Seconds between progress lines. Default: ${DEFAULT-VALUE}.") int progressSeconds;

    @Override
    public Integer call() throws Exception {
      validate();
      if (resumeIfExists && Files.exists(runDir.resolve(Checkpoint.FILE))) {
        resume = runDir;
      }
      RunConfig fresh = resume == null ? newRunConfig(null) : null;
      Path dir = resume != null ? resume : runDir != null ? runDir : defaultRunDir(fresh);
      if (resume != null && !Files.isRegularFile(resume.resolve(Checkpoint.FILE))) {
        throw usage(resume + " holds no checkpoint to resume (" + Checkpoint.FILE + ")");
      }
      if (resume == null && Files.exists(dir.resolve(Checkpoint.FILE))) {
        throw usage(dir + " already holds a run: use --resume " + dir + " or another --run-dir");
      }
      boolean created = resume == null && !Files.exists(dir);
      // Locked before the checkpoint is read: a second learner on the directory stops here.
      try (RunDirectory run = RunDirectory.lock(dir)) {
        Checkpoint from = null;
        RunConfig config = fresh;
        if (resume != null) {
          from = Checkpoint.load(dir.resolve(Checkpoint.FILE));
          config = resumedConfig(from);
          from = from.withConfig(config);
          log.info("resuming {} at {} frames", dir, from.meta().frames());
        }
        return train(config, run, from);
      } catch (Throwable failed) {
        if (created) {
          RunDirectory.removeIfUnused(dir, failed);
        }
        throw failed;
      }
    }

    private int train(RunConfig config, RunDirectory dir, Checkpoint from) throws Exception {
      Trainer trainer = new Trainer(config, dir, from).withEnvConnections(
          envConnections(config.threads()));
      Optional<MetricsEndpoint> endpoint = metricsOptions.start(InetAddress.getLoopbackAddress(),
          trainer.metrics());
      endpoint.ifPresent(m -> log.info("Prometheus metrics on port {} (/metrics)", m.port()));
      // --ui: this run's dashboard, the runs beside it there to compare, until training ends.
      Optional<DashboardServer> ui = uiPort == null ? Optional.empty()
          : Optional.of(DashboardServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), uiPort),
              List.of(dir.path().toAbsolutePath().getParent())));
      ui.ifPresent(d -> log.info("dashboard on {}", d.url()));
      CountDownLatch finished = new CountDownLatch(1);
      // Ctrl-C / SIGTERM: let the threads finish their rollouts and the final checkpoint land.
      Thread hook = new Thread(() -> {
        log.info("stopping: finishing rollouts and writing a checkpoint");
        trainer.stop();
        try {
          finished.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "ma3c-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        trainer.run();
      } finally {
        finished.countDown();
        endpoint.ifPresent(MetricsEndpoint::close);
        ui.ifPresent(DashboardServer::close);
        // Also when the run failed: its exit must not print "stopping: ... writing a checkpoint".
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // Stopped by a signal: the hook is already running and will see `finished`.
        }
      }
      log.info("run directory: {}", dir.path().toAbsolutePath());
      return 0;
    }

    /**
     * The new run these options describe, checked as {@code train} checks them: what `bench`
     * trains for its cases that measure a real run with every default.
     */
    public RunConfig newRun() {
      validate();
      return newRunConfig(null);
    }

    /** --env-connections as a count for {@code threads} actor threads; 0 when it is not a number. */
    private int envConnections(int threads) {
      return PER_THREAD.equals(envConnections) ? threads
          : envConnections.matches("\\d{1,4}") ? Integer.parseInt(envConnections) : 0;
    }

    /** The run the options describe; {@code saved} supplies the thread count when none is given. */
    private RunConfig newRunConfig(RunConfig saved) {
      int n = threads != null ? threads
          : saved != null ? saved.threads() : RunConfig.DEFAULT_THREADS_PER_GAME * games.split(",").length;
      LinkedHashMap<String, Integer> perGame;
      Architecture architecture;
      CommandLine.ParseResult given = spec.commandLine().getParseResult();
      // Resuming without --games: the run's games, so that only options given are compared.
      String gameList = saved != null && !given.hasMatchedOption("--games")
          ? String.join(",", saved.games()) : games;
      WarmStart source = initFrom == null ? null : warmStart();
      RunConfig.Net sourceNet = source == null ? null : source.sourceConfig().net();
      boolean useLstm = sourceNet != null && !given.hasMatchedOption("--lstm") ? sourceNet.lstm() : lstm;
      Freeze frozen;
      try {
        perGame = GameThreads.parse(gameList, n);
        architecture = Architecture.of(sourceNet != null && !given.hasMatchedOption("--arch")
            ? sourceNet.architecture() : arch);
        frozen = Freeze.of(freeze);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
      if (architecture == Architecture.A3C && perGame.size() != 1) {
        throw usage("--arch a3c trains one game" + (sourceNet != null && !given.hasMatchedOption("--arch")
            ? " (the source run's architecture)" : "") + "; use ma3c-1 or ma3c-2 for " + perGame.keySet());
      }
      for (String game : teachers.isEmpty() ? List.<String>of() : perGame.keySet()) {
        try {
          Teachers.find(teachers, game);
        } catch (IllegalArgumentException e) {
          throw usage("--teachers: " + e.getMessage());
        }
      }
      if (frozen != Freeze.NONE && initFrom == null && saved != null && saved.transfer() == null) {
        throw freezeNeedsInitFrom(frozen);
      }
      if (source != null) {
        Map<String, Integer> anyCounts = new LinkedHashMap<>();
        perGame.keySet().forEach(g -> anyCounts.put(g, 1));
        try {
          source.checkFits(new ParameterLayout(new NetSpec(architecture, useLstm, anyCounts)));
        } catch (IllegalArgumentException e) {
          throw usage("--init-from " + initFrom + ": " + e.getMessage());
        }
      }
      if (envSecurity.given() && env.isEmpty() && (saved == null || saved.env().endpoints().isEmpty())) {
        throw usage("--tls-ca and --token-file are for --env endpoints; the embedded env service needs neither");
      }
      List<String> endpoints = env.stream()
          .map(e -> OptionChecks.hostPort(spec, "--env", e).toString()).toList();
      Path roms = RomDirectory.resolve(romDir);
      boolean needsRoms = perGame.keySet().stream().anyMatch(g -> !g.equals("catch"));
      if (saved == null && env.isEmpty() && needsRoms && !Files.isDirectory(roms)) {
        throw usage("no ROM directory at " + roms.toAbsolutePath()
            + ": pass --rom-dir, set ALE_ROM_DIR or put the ROMs in ./roms");
      }
      A3CConfig a3c = new A3CConfig(
          new A3CConfig.Rollout(tMax != null ? tMax : A3CConfig.defaultTMax(useLstm), gamma, rewardClip),
          new A3CConfig.Loss(beta, valueCoef, clipNorm),
          new A3CConfig.RmsProp(lr, rmsAlpha, rmsEps, rmsInit),
          framesPerGame != null ? new A3CConfig.Budget(framesPerGame * perGame.size(), framesPerGame)
              : new A3CConfig.Budget(frames, 0));
      return new RunConfig(new RunConfig.Net(architecture.id(), useLstm), perGame, a3c,
          new RunConfig.Env(endpoints, roms.toString(), sticky, noopMax, lifeLoss,
              envSecurity.given() ? envSecurity.security() : null), seed,
          new RunConfig.Reporting(checkpointSeconds, progressSeconds),
          source != null ? new RunConfig.Transfer(source.file().toString(), frozen.id())
              : saved != null && saved.transfer() != null
                  ? new RunConfig.Transfer(saved.transfer().from(), frozen.id()) : null,
          new RunConfig.Allocation(allocation, allocationEvery),
          teachers.isEmpty() ? null : teachers.stream()
              .map(t -> Path.of(t).toAbsolutePath().normalize().toString()).toList());
    }

    private CommandLine.ParameterException freezeNeedsInitFrom(Freeze frozen) {
      return usage("--freeze " + frozen.id() + " needs --init-from (frozen blocks would stay random)");
    }

    private WarmStart warmStart() {
      try {
        return WarmStart.load(initFrom);
      } catch (IllegalArgumentException | java.io.IOException e) {
        throw usage("--init-from " + initFrom + ": " + e.getMessage());
      }
    }

    /**
     * The saved run, with what a resume may change: a larger --frames, --env, --rom-dir and the
     * reporting periods. Any other option given with a value unlike the run's is refused, so a
     * resume never silently trains something else than the command line says.
     */
    private RunConfig resumedConfig(Checkpoint from) {
      RunConfig saved = from.meta().config();
      CommandLine.ParseResult given = spec.commandLine().getParseResult();
      RunConfig asked = newRunConfig(saved);
      List<String> conflicts = ResumeOptions.conflicts(saved, asked, given::hasMatchedOption);
      if (!conflicts.isEmpty()) {
        throw usage("--resume continues the run as it was configured; these options differ from "
            + resume.resolve(RunDirectory.CONFIG) + ": " + String.join(", ", conflicts));
      }
      long budget = saved.a3c().budget().frames();
      long perGameBudget = saved.a3c().budget().framesPerGame();
      // A run keeps the kind of budget it started with: a total, or frames per game.
      if (perGameBudget == 0 && framesPerGame != null) {
        throw usage("this run's budget is a total (" + budget + " frames): resume it with --frames");
      }
      if (perGameBudget > 0 && given.hasMatchedOption("--frames")) {
        throw usage("this run's budget is " + perGameBudget + " frames per game: resume it with"
            + " --frames-per-game");
      }
      // The same budget again (a restarted container's command line) changes nothing.
      if (given.hasMatchedOption("--frames") && frames != budget) {
        if (frames <= from.meta().frames()) {
          throw usage("--frames " + frames + " is not above the " + from.meta().frames()
              + " frames the run has already trained");
        }
        budget = frames;
      }
      if (framesPerGame != null && framesPerGame != perGameBudget) {
        if (framesPerGame < perGameBudget) {
          throw usage("--frames-per-game " + framesPerGame + " is below the run's " + perGameBudget);
        }
        perGameBudget = framesPerGame;
        budget = framesPerGame * saved.games().size();
      }
      RunConfig.Reporting every = saved.reporting();
      return saved.resumedWith(new A3CConfig.Budget(budget, perGameBudget),
          given.hasMatchedOption("--env") ? asked.env().endpoints() : saved.env().endpoints(),
          given.hasMatchedOption("--rom-dir") ? asked.env().romDir() : saved.env().romDir(),
          envSecurity.given() ? asked.env().security() : saved.env().security(),
          new RunConfig.Reporting(
              given.hasMatchedOption("--checkpoint-every") ? checkpointSeconds : every.checkpointSeconds(),
              given.hasMatchedOption("--progress-every") ? progressSeconds : every.progressSeconds()));
    }

    private static Path defaultRunDir(RunConfig config) {
      return Path.of("runs", config.net().architecture() + "-" + String.join("+", config.games()) + "-"
          + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /**
     * Parses a train command line ("train" first) and makes the checks train makes before it
     * reads or writes a file, without training: experiment checks every run's up front.
     */
    public static void check(List<String> args) {
      CommandLine.ParseResult parsed = commandLine().parseArgs(args.toArray(String[]::new)).subcommand();
      if (parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
        throw new CommandLine.ParameterException(parsed.commandSpec().commandLine(),
            "--help and --version train nothing");
      }
      ((Train) parsed.commandSpec().userObject()).validate();
    }

    /** Every option in range, and the options that go together, before anything is read or written. */
    private void validate() {
      metricsOptions.check();
      if (resumeIfExists && (runDir == null || resume != null)) {
        throw usage("--resume-if-exists needs --run-dir (and no --resume)");
      }
      if (resume != null && runDir != null) {
        throw usage("--run-dir with --resume: a resumed run stays in its directory, " + resume);
      }
      Freeze frozen;
      try {
        frozen = Freeze.of(freeze);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
      // A resumed run may be frozen by its own config: checked against it in newRunConfig.
      if (frozen != Freeze.NONE && initFrom == null && resume == null) {
        throw freezeNeedsInitFrom(frozen);
      }
      env.forEach(e -> OptionChecks.hostPort(spec, "--env", e));
      check(threads == null || threads >= 1 && threads <= RunConfig.MAX_THREADS, "--threads", threads,
          "1.." + RunConfig.MAX_THREADS);
      check(uiPort == null || uiPort >= 0 && uiPort <= 65535, "--ui", uiPort, "0..65535");
      int connections = envConnections(1);
      check(connections >= 1 && connections <= RunConfig.MAX_THREADS,
          "--env-connections", envConnections, "1.." + RunConfig.MAX_THREADS + " or " + PER_THREAD);
      String frameRange = "1.." + A3CConfig.MAX_FRAMES;
      check(frames >= 1 && frames <= A3CConfig.MAX_FRAMES, "--frames", frames, frameRange);
      check(framesPerGame == null || framesPerGame >= 1 && framesPerGame <= A3CConfig.MAX_FRAMES,
          "--frames-per-game", framesPerGame, frameRange);
      CommandLine.ParseResult given = spec.commandLine().getParseResult();
      if (framesPerGame != null && given.hasMatchedOption("--frames")) {
        throw usage("give --frames (the total) or --frames-per-game, not both");
      }
      if (threads != null && games.contains(":") && given.hasMatchedOption("--games")) {
        throw usage("--threads with weighted --games: the weights are the threads (pong:6,breakout:10)");
      }
      check(gamma > 0 && gamma <= 1, "--gamma", gamma, "in (0, 1]");
      check(tMax == null || tMax >= 1 && tMax <= 1000, "--t-max", tMax, "1..1000");
      check(beta >= 0 && Double.isFinite(beta), "--beta", beta, "finite and >= 0");
      check(valueCoef > 0 && Double.isFinite(valueCoef), "--value-coef", valueCoef, "finite and > 0");
      check(lr > 0 && lr < 1, "--lr", lr, "in (0, 1)");
      check(rmsAlpha >= 0 && rmsAlpha < 1, "--rms-alpha", rmsAlpha, "in [0, 1)");
      check(rmsEps > 0 && rmsEps <= 1, "--rms-eps", rmsEps, "in (0, 1]");
      check(rmsInit >= 0 && Double.isFinite(rmsInit), "--rms-init", rmsInit, "finite and >= 0");
      check(clipNorm > 0 && Double.isFinite(clipNorm), "--clip-norm", clipNorm, "finite and > 0");
      check(rewardClip > 0 && !Double.isNaN(rewardClip), "--reward-clip", rewardClip, "> 0 (Infinity: no clip)");
      check(sticky >= 0 && sticky <= 1, "--sticky", sticky, "in [0, 1]");
      check(noopMax >= 0 && noopMax <= 10_000, "--noop-max", noopMax, "0..10000");
      check(checkpointSeconds >= 1, "--checkpoint-every", checkpointSeconds, "at least 1 second");
      check(progressSeconds >= 1, "--progress-every", progressSeconds, "at least 1 second");
      check(RunConfig.EQUAL.equals(allocation) || RunConfig.ADAPTIVE.equals(allocation),
          "--allocation", allocation, "equal or adaptive");
      check(allocationEvery >= 1, "--allocation-every", allocationEvery, "at least 1 frame");
    }

    private void check(boolean ok, String option, Object value, String range) {
      if (!ok) {
        throw usage("invalid value for " + option + ": " + value + " (must be " + range + ")");
      }
    }

    private CommandLine.ParameterException usage(String message) {
      return new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }

  /** `ma3c distill`: train with --teachers (required), every other train option as well. */
  @Command(name = "distill", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
      description = "Policy distillation: one (multi-task) student learns each game from its"
          + " teacher's exported policy (--teachers) on its own play; the baseline the paper"
          + " compares MA3C with.")
  public static final class Distill extends Train {
    @Override
    public Integer call() throws Exception {
      if (teachers.isEmpty() && resume == null) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "distill needs --teachers: the per-game policies to learn from (e.g. runs/<run>/export)");
      }
      return super.call();
    }
  }

  /** The command line with its error handling (one line and exit 2 or 1; see CliErrors). */
  public static CommandLine commandLine() {
    return CliErrors.install(new CommandLine(new LearnerMain()));
  }

  private static final java.util.Set<String> TRAINING_COMMANDS =
      java.util.Set.of("train", "distill", "experiment", "bench", "roofline");
  private static final List<String> HELP_OR_VERSION = List.of("-h", "--help", "-V", "--version");

  /**
   * With no subcommand named, train with the given options: `ma3c --games pong` is `ma3c train
   * --games pong`, while `ma3c --verbose export ...` stays export.
   */
  static String[] withDefaultCommand(String[] args) {
    String word = commandWord(args);
    if (!word.isEmpty() && (!word.startsWith("-") || HELP_OR_VERSION.contains(word))) {
      return args;
    }
    String[] withTrain = new String[args.length + 1];
    withTrain[0] = "train";
    System.arraycopy(args, 0, withTrain, 1, args.length);
    return withTrain;
  }

  /** Where a subcommand's name goes: the first argument but the root's --verbose; "" if none. */
  private static String commandWord(String[] args) {
    return Arrays.stream(args).filter(a -> !a.equals(CliErrors.VERBOSE)).findFirst().orElse("");
  }

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    args = withDefaultCommand(args);
    // The net's kernels use the Vector API, an incubator module the JVM loads only when asked:
    // without it the first forward pass would fail deep inside a training thread. The commands
    // that only read runs or play ONNX models (dashboard, plot, export, play, evaluate) run without it.
    if (TRAINING_COMMANDS.contains(commandWord(args))
        && ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      System.err.println("ma3c: the learner needs Java's Vector API: run it as java --add-modules"
          + " jdk.incubator.vector -jar ma3c-learner.jar ... (./ma3c does)");
      System.exit(2);
    }
    System.exit(commandLine().execute(args));
  }
}
