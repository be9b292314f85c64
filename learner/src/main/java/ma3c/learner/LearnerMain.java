package ma3c.learner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import ma3c.env.ale.RomDirectory;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.bench.TrainingBenchmark;
import ma3c.learner.export.ExportCommand;
import ma3c.model.Architecture;
import ma3c.learner.plot.PlotCommand;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.RunConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The learner's command line: train (default), plot, bench. */
@Command(name = "ma3c", mixinStandardHelpOptions = true,
    description = "Multi-task asynchronous advantage actor-critic (A3C, MA3C-1, MA3C-2) on Atari.",
    subcommands = {LearnerMain.Train.class, ExportCommand.class, PlotCommand.class,
        TrainingBenchmark.class})
public final class LearnerMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(LearnerMain.class);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Reached only through picocli when no subcommand matched (main() defaults to train). */
  @Override
  public Integer call() {
    spec.commandLine().usage(System.out);
    return 0;
  }

  /** Trains, or resumes a run. */
  @Command(name = "train", mixinStandardHelpOptions = true, description = "Train (the default command).")
  public static final class Train implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--games", defaultValue = "pong,breakout",
        description = "Games, split over --threads (pong,breakout) or weighted (pong:6,breakout:10). Default: ${DEFAULT-VALUE}.")
    String games;

    @Option(names = "--threads", description = "Actor-learner threads (default: the CPU cores).")
    Integer threads;

    @Option(names = "--arch", defaultValue = "ma3c-2",
        description = "a3c (one game), ma3c-1 or ma3c-2. Default: ${DEFAULT-VALUE}.")
    String arch;

    @Option(names = "--lstm", description = "LSTM net (default: feed-forward over 4 stacked frames).")
    boolean lstm;

    @Option(names = "--frames", defaultValue = "" + A3CConfig.DEFAULT_FRAME_BUDGET,
        description = "Frame budget over all threads (frame skip included). Default: ${DEFAULT-VALUE}.")
    long frames;

    @Option(names = "--env", split = ",",
        description = "Env service endpoints host:port[,host:port...]; none: embedded in-process.")
    List<String> env = List.of();

    @Option(names = "--rom-dir", description = "ROMs for the embedded env service (default: $ALE_ROM_DIR, else ./roms).")
    Path romDir;

    @Option(names = "--run-dir", description = "Run directory (default: runs/<arch>-<games>-<time>).")
    Path runDir;

    @Option(names = "--resume",
        description = "Continue the run in this directory from its checkpoint (with --frames: to a new budget).")
    Path resume;

    @Option(names = "--resume-if-exists",
        description = "With --run-dir: resume the run there if it has a checkpoint, else start it (for restarted containers).")
    boolean resumeIfExists;

    @Option(names = "--seed", defaultValue = "1") long seed;
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
    @Option(names = "--checkpoint-every", defaultValue = "300", description = "Seconds.") int checkpointSeconds;
    @Option(names = "--progress-every", defaultValue = "10", description = "Seconds.") int progressSeconds;

    @Override
    public Integer call() throws Exception {
      Path dir;
      Checkpoint from = null;
      RunConfig config;
      if (resumeIfExists) {
        if (runDir == null || resume != null) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              "--resume-if-exists needs --run-dir (and no --resume)");
        }
        if (Files.exists(runDir.resolve(Checkpoint.FILE))) {
          resume = runDir;
        }
      }
      if (resume != null) {
        dir = resume;
        from = Checkpoint.load(dir.resolve(Checkpoint.FILE));
        if (spec.commandLine().getParseResult().hasMatchedOption("--frames")) {
          from = from.withFrameBudget(frames);
        }
        config = from.meta().config();
        log.info("resuming {} at {} frames", dir, from.meta().frames());
      } else {
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        var perGame = GameThreads.parse(games, n);
        Architecture architecture = Architecture.of(arch);
        A3CConfig a3c = new A3CConfig(gamma, tMax != null ? tMax : A3CConfig.defaultTMax(lstm),
            beta, valueCoef, lr, rmsAlpha, rmsEps, rmsInit, clipNorm, rewardClip, frames);
        config = new RunConfig(architecture.id(), lstm, perGame, a3c, env,
            RomDirectory.resolve(romDir).toString(), sticky, noopMax, lifeLoss, seed,
            checkpointSeconds, progressSeconds);
        dir = runDir != null ? runDir : Path.of("runs", architecture.id() + "-"
            + String.join("+", perGame.keySet()) + "-"
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.exists(dir.resolve(Checkpoint.FILE))) {
          throw new CommandLine.ParameterException(new CommandLine(this),
              dir + " already holds a run: use --resume " + dir + " or another --run-dir");
        }
      }
      Trainer trainer = new Trainer(config, dir, from);
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
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Stopped by a signal: the hook is already running and will see `finished`.
      }
      log.info("run directory: {}", dir.toAbsolutePath());
      return 0;
    }
  }

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    CommandLine cli = new CommandLine(new LearnerMain());
    // No subcommand: train with the given options.
    if (args.length == 0 || args[0].startsWith("-") && !Arrays.asList("-h", "--help", "-V", "--version").contains(args[0])) {
      String[] withTrain = new String[args.length + 1];
      withTrain[0] = "train";
      System.arraycopy(args, 0, withTrain, 1, args.length);
      args = withTrain;
    }
    System.exit(cli.execute(args));
  }
}
