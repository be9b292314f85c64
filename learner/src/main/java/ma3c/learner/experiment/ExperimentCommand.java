package ma3c.learner.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import ma3c.cli.RomDirOption;
import ma3c.cli.CommandFailedException;
import ma3c.cli.OptionChecks;
import ma3c.cli.ProjectVersion;
import ma3c.cli.security.ClientSecurity;
import ma3c.env.embed.LocalGames;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.evaluate.Evaluation;
import ma3c.learner.evaluate.EvaluationSettings;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.ProgressReporter;
import ma3c.learner.run.Provenance;
import ma3c.learner.run.RunConfig;
import ma3c.learner.train.StopOnSignal;
import ma3c.learner.train.Training;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs every arm of an experiment one after the other (finished runs are skipped, interrupted
 * ones resumed from their checkpoints, runs shared between figures trained once), recording in
 * each run directory who trains it with which build ({@link Provenance}), then writes its
 * results: curves.png, results.md and the compressed episode logs.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
    description = "Run an experiment manifest (experiments/*.json) to the end, resumably, and write its results.")
public final class ExperimentCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ExperimentCommand.class);

  @Parameters(index = "0", description = "The manifest, e.g. experiments/fig4-pong-breakout.json.")
  Path manifestFile;

  @Option(names = "--frames-per-game", description = "Budget per game instead of the manifest's.")
  Long framesPerGame;

  @Option(names = "--seeds", split = ",", description = "Seeds instead of the manifest's, e.g. 1,2,3.")
  List<Long> seeds;

  @Option(names = "--env", split = ",", description = "Env service endpoints for every run (default: embedded).")
  List<String> env;

  @CommandLine.Mixin
  RomDirOption roms;

  @Option(names = "--runs-dir", defaultValue = "experiments/runs",
      description = "Where the runs go. Default: ${DEFAULT-VALUE}.")
  Path runsDir;

  @Option(names = "--results-dir", defaultValue = "experiments/results",
      description = "Where each figure's results go. Default: ${DEFAULT-VALUE}.")
  Path resultsDir;

  @Option(names = "--report-only", description = "Write the results from the runs so far; train nothing.")
  boolean reportOnly;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (framesPerGame != null) {
      OptionChecks.range(spec, "--frames-per-game", framesPerGame, 1, A3CConfig.MAX_FRAMES);
    }
    Long repeated = seeds == null ? null : Manifest.twice(seeds);
    if (repeated != null) {
      throw OptionChecks.usage(spec, "--seeds lists " + repeated + " twice");
    }
    List<String> endpoints = env == null ? List.of() : env;
    endpoints.forEach(e -> OptionChecks.hostPort(spec, "--env", e));
    // Before the training: its results are written only at the end.
    OptionChecks.directoryToWrite(spec, "--runs-dir", runsDir);
    OptionChecks.directoryToWrite(spec, "--results-dir", resultsDir);
    Manifest manifest = Manifest.load(manifestFile).with(framesPerGame, seeds);
    List<ArmRun> plan = ArmRun.plan(manifest);
    checkTrainOptions(manifest, plan, endpoints);
    if (!reportOnly && (env == null || env.isEmpty())) {
      requireRoms(plan);
    }
    KeptRuns runs = new KeptRuns(manifest, runsDir, resultsDir);
    if (!reportOnly && !train(manifest, plan, runs, endpoints)) {
      return 130;
    }
    Path out = resultsDir.resolve(manifest.figure());
    // Looked at afresh: the runs have trained since the plan was made.
    Path table = new ExperimentReport(manifest, new KeptRuns(manifest, runsDir, resultsDir),
        LocalGames.romDir(roms.given())).write(out, command());
    System.out.println("wrote " + table.toAbsolutePath() + " and " + out.resolve("curves.png"));
    return 0;
  }

  /**
   * Every run's train options, checked as train checks them, before the first run trains: a bad
   * option in an arm's train list would otherwise stop the experiment when that arm starts, hours
   * in.
   */
  private void checkTrainOptions(Manifest manifest, List<ArmRun> plan, List<String> endpoints)
      throws IOException {
    for (ArmRun run : plan) {
      try {
        run.options(manifest, runsDir.resolve(run.id()), endpoints, roms.given());
      } catch (CommandLine.ParameterException e) {
        throw new IOException(manifestFile + ": arm " + run.arm().name() + ": its train options: "
            + e.getMessage());
      }
    }
  }

  /** Every game's ROM for the embedded env service, before the first run trains, not hours in. */
  private void requireRoms(List<ArmRun> plan) throws CommandFailedException {
    Path roms = LocalGames.romDir(this.roms.given());
    for (String game : plan.stream().flatMap(r -> r.games().stream()).distinct().toList()) {
      String missing = LocalGames.missingRom(roms, game);
      if (missing != null) {
        throw new CommandFailedException(manifestFile + ": " + missing);
      }
    }
  }

  /** Trains every unfinished run; false when stopped (Ctrl-C) before the end. */
  private boolean train(Manifest manifest, List<ArmRun> plan, KeptRuns runs, List<String> endpoints)
      throws Exception {
    try (StopOnSignal signals = StopOnSignal.install("experiment-stop")) {
      return train(manifest, plan, runs, endpoints, signals);
    }
  }

  private boolean train(Manifest manifest, List<ArmRun> plan, KeptRuns runs, List<String> endpoints,
      StopOnSignal signals) throws Exception {
    long total = plan.stream().mapToLong(r -> r.frameBudget(manifest)).sum();
    // Each look reads a whole checkpoint: once per run here, then again only for the run trained.
    long[] done = new long[plan.size()];
    boolean[] kept = new boolean[plan.size()];
    // Backwards: a transfer's source and a student's teachers are read from their run
    // directories, so a kept run is trained again only when a run that still trains needs it.
    java.util.Set<String> needed = new java.util.HashSet<>();
    for (int i = plan.size() - 1; i >= 0; i--) {
      ArmRun run = plan.get(i);
      kept[i] = !needed.contains(run.id()) && runs.finishedInResults(run);
      done[i] = kept[i] ? run.frameBudget(manifest) : framesDone(manifest, run, runs.runDir(run));
      if (done[i] < run.frameBudget(manifest)) {
        if (run.sourceId() != null) {
          needed.add(run.sourceId());
        }
        if (run.teacherIds() != null) {
          needed.addAll(run.teacherIds());
        }
      }
    }
    long startedAt = System.nanoTime();
    long trainedHere = 0;
    for (int i = 0; i < plan.size(); i++) {
      ArmRun run = plan.get(i);
      Path dir = runsDir.resolve(run.id());
      long before = done[i];
      long doneOverall = java.util.Arrays.stream(done).sum();
      String where = String.format(Locale.ROOT, "[%d/%d] %s %s (seed %d)", i + 1, plan.size(),
          run.arm().name(), String.join("+", run.games()), run.seed());
      if (kept[i]) {
        log.info("{}: finished, skipped (its episode log is kept in {})", where, runs.episodes(run));
        continue;
      }
      if (before >= run.frameBudget(manifest)) {
        log.info("{}: finished, skipped ({})", where, dir);
        evaluateIfDue(manifest, run, dir, where);
        continue;
      }
      double rate = trainedHere / Math.max(1e-9, (System.nanoTime() - startedAt) / 1e9);
      log.info("{}: {} at {} frames -> {} | experiment {} of {} frames ({}%), ETA {}", where,
          before == 0 ? "starting" : "resuming", before, dir, doneOverall, total,
          100 * doneOverall / total, trainedHere == 0 ? "after the first run" : ProgressReporter.eta(total - doneOverall, rate));
      try {
        RunConfig config = run.options(manifest, dir, endpoints, roms.given()).config(null);
        Training.in(dir).trainedBy(manifest.figure()).whileTraining(signals::watch)
            .startOrResume(config);
      } catch (RuntimeException failed) {
        if (!signals.signalled()) {
          throw new IllegalStateException(where + " failed: " + failed.getMessage() + "; run the"
              + " same command again to resume it", failed);
        }
      }
      if (signals.signalled()) {
        log.info("stopped; run the same command again to continue from the checkpoints");
        return false;
      }
      done[i] = framesDone(manifest, run, dir);
      trainedHere += done[i] - before;
      evaluateIfDue(manifest, run, dir, where);
    }
    return true;
  }

  /**
   * Evaluates a run that has trained to its budget, once, while its checkpoint is here (a clone
   * keeps only the episode logs): `ma3c evaluate`'s protocol with its defaults, the result in the
   * run directory, where the report finds it. The score other papers compare, beside the mean of
   * the last 100 training episodes.
   */
  private void evaluateIfDue(Manifest manifest, ArmRun run, Path dir, String where)
      throws CommandFailedException, InterruptedException {
    if (framesDone(manifest, run, dir) < run.frameBudget(manifest)
        || Files.exists(dir.resolve(Evaluation.FILE))) {
      return;
    }
    log.info("{}: evaluating it at its budget", where);
    EvaluationSettings.EnvService envService = env == null || env.isEmpty()
        ? EvaluationSettings.EnvService.embedded(LocalGames.romDir(roms.given()))
        : new EvaluationSettings.EnvService(env, LocalGames.romDir(roms.given()), ClientSecurity.NONE);
    try {
      Evaluation.run(new EvaluationSettings(new EvaluationSettings.Run(dir), List.of(),
          EvaluationSettings.Protocol.defaults(), Runtime.getRuntime().availableProcessors(), envService))
          .writeJson(dir.resolve(Evaluation.FILE));
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw new CommandFailedException(where + ": cannot evaluate " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Frames a run has trained by its checkpoint (each game counted up to the budget per game). */
  static long framesDone(Manifest manifest, ArmRun run, Path dir) {
    Path file = dir.resolve(Checkpoint.FILE);
    if (!Files.exists(file)) {
      return 0;
    }
    try {
      Checkpoint.Meta meta = Checkpoint.load(file).meta();
      Map<String, Long> perGame = meta.gameFrames();
      if (perGame == null || perGame.isEmpty()) {
        return Math.min(meta.frames(), run.frameBudget(manifest));
      }
      long done = 0;
      for (String game : run.games()) {
        done += Math.min(perGame.getOrDefault(game, 0L), manifest.framesPerGame());
      }
      return done;
    } catch (IOException unreadable) {
      return 0; // train will say what is wrong with it
    }
  }

  private String command() {
    StringBuilder c = new StringBuilder("./ma3c experiment ").append(manifestFile);
    if (framesPerGame != null) {
      c.append(" --frames-per-game ").append(framesPerGame);
    }
    if (seeds != null) {
      c.append(" --seeds ").append(String.join(",", seeds.stream().map(String::valueOf).toList()));
    }
    return c.toString();
  }
}
