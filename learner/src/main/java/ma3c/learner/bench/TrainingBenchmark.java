package ma3c.learner.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import ma3c.cli.OptionChecks;
import ma3c.cli.ProjectVersion;
import ma3c.env.ale.RomDirectory;
import ma3c.env.bench.EnvBenchmark;
import ma3c.env.session.CatchEnv;
import ma3c.env.session.GameCatalog;
import ma3c.learner.Trainer;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.algo.PhaseTimes;
import ma3c.learner.run.RunConfig;
import ma3c.learner.run.RunDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training frames/s of the real training path (embedded env service, the engine's acting forward
 * and backward, shared RMSProp) for the FF net at t_max 5 and 20 and the LSTM net at t_max 20,
 * at each thread count, beside what ALE alone does with one thread per core, measured in one run;
 * with the milliseconds per update that the threads spend in each phase.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
    description = "Measure training frames/s (FF and LSTM, at several thread counts) against ALE-only frames/s.")
public final class TrainingBenchmark implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(TrainingBenchmark.class);

  @Option(names = "--game", defaultValue = "pong",
      description = "The game: a ROM's name without .bin, or the built-in catch. Default: ${DEFAULT-VALUE}.")
  String game;
  @Option(names = "--threads", split = ",", defaultValue = "2,16",
      description = "Actor-learner thread counts to measure, each 1.." + RunConfig.MAX_THREADS
          + ". Default: ${DEFAULT-VALUE}.")
  List<Integer> threadCounts;
  @Option(names = "--seconds", defaultValue = "30",
      description = "Measured seconds per case, 1..86400. Default: ${DEFAULT-VALUE}.")
  int seconds;
  @Option(names = "--warmup", defaultValue = "15",
      description = "Seconds of training before measuring, per case, 0..86400. Default: ${DEFAULT-VALUE}.")
  int warmup;
  @Option(names = "--rom-dir", description = "The ROMs (default: $ALE_ROM_DIR, else ./roms).")
  Path romDir;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Where the bench makes the folder of its cases' run directories: the temp directory (tests: another). */
  Path scratch = Path.of(System.getProperty("java.io.tmpdir"));

  private record Case(boolean lstm, int tMax) {}

  private record Measured(double fps, long updates, long[] phaseNanos) {}

  @Override
  public Integer call() throws Exception {
    Path roms = RomDirectory.resolve(romDir);
    check(roms);
    PrintWriter out = spec.commandLine().getOut();
    GameCatalog catalog = new GameCatalog(roms);
    int cores = Runtime.getRuntime().availableProcessors();
    out.printf(Locale.ROOT, "%s, frame skip 4, sticky 0.25, %d cores. ALE alone: the in-process env with"
        + " random actions on %d threads, measured right before each case (the machine's speed drifts)%n",
        game, cores, cores);
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT,
        "%-15s %7s %10s %10s %6s | ms per update (threads' wall time):", "case", "threads",
        "frames/s", "ALE alone", "ratio"));
    for (PhaseTimes.Phase p : PhaseTimes.Phase.values()) {
      header.append(String.format(Locale.ROOT, " %8s", p.name().toLowerCase(Locale.ROOT)));
    }
    out.println(header);
    // The cases' runs (checkpoints, logs) are of no use afterwards: removed at the end, also on
    // a failure or Ctrl-C (which skips finally blocks; the trainers write only an episode line
    // now and then, so the removal does not race with them).
    Path runs = Files.createTempDirectory(scratch, "ma3c-bench");
    Thread removal = new Thread(() -> remove(runs), "bench-cleanup");
    Runtime.getRuntime().addShutdownHook(removal);
    try {
      measureEveryCase(roms, catalog, cores, runs, out);
    } finally {
      Runtime.getRuntime().removeShutdownHook(removal);
      remove(runs);
    }
    out.println("(a phase's time includes waiting for a core when threads outnumber cores)");
    return 0;
  }

  private void measureEveryCase(Path roms, GameCatalog catalog, int cores, Path runs, PrintWriter out)
      throws Exception {
    for (Case c : new Case[] {new Case(false, 5), new Case(false, 20), new Case(true, 20)}) {
      for (int threads : threadCounts) {
        // Frame skip 4: four emulator frames per agent step. More threads than cores: no gain.
        double ale = 4 * EnvBenchmark.inProcessStepsPerSecond(catalog, game, cores, 2_000, 20_000);
        Measured m = measure(Files.createTempDirectory(runs, "case"), roms, c, threads);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
            "%-15s %7d %,10.0f %,10.0f %6.2f | %36s", (c.lstm() ? "LSTM" : "FF") + ", t_max " + c.tMax(),
            threads, m.fps(), ale, m.fps() / ale, ""));
        for (long nanos : m.phaseNanos()) {
          line.append(String.format(Locale.ROOT, " %8.3f", nanos / 1e6 / Math.max(1, m.updates())));
        }
        out.println(line);
      }
    }
  }

  private static void remove(Path runs) {
    try {
      RunDirectory.delete(runs);
    } catch (IOException e) {
      log.warn("cannot remove the bench's runs in {}: {}", runs, e.toString());
    }
  }

  /** Every option in range (train's thread bound), and the game's ROM there, before anything runs. */
  private void check(Path roms) {
    for (int threads : threadCounts) {
      OptionChecks.range(spec, "--threads", threads, 1, RunConfig.MAX_THREADS);
    }
    OptionChecks.range(spec, "--seconds", seconds, 1, 86_400);
    OptionChecks.range(spec, "--warmup", warmup, 0, 86_400);
    if (!GameCatalog.GAME_NAME.matcher(game).matches()) {
      throw OptionChecks.usage(spec, "--game '" + game + "' is not a game name (a ROM's name without .bin, or catch)");
    }
    if (!game.equals(CatchEnv.NAME) && !Files.isRegularFile(roms.resolve(game + ".bin"))) {
      throw OptionChecks.usage(spec, "--game " + game + ": no " + game + ".bin in " + roms.toAbsolutePath()
          + " (pass --rom-dir, set ALE_ROM_DIR or put the ROMs in ./roms)");
    }
  }

  private Measured measure(Path dir, Path roms, Case c, int threads) throws Exception {
    LinkedHashMap<String, Integer> perGame = new LinkedHashMap<>();
    perGame.put(game, threads);
    A3CConfig a3c = A3CConfig.defaults(c.lstm(), Long.MAX_VALUE / 4).withTMax(c.tMax());
    RunConfig config = new RunConfig(new RunConfig.Net("a3c", c.lstm()), perGame, a3c,
        new RunConfig.Env(List.of(), roms.toString(), 0.25f, 30, false), 1,
        new RunConfig.Reporting(3600, 3600), null, null, null);
    RunDirectory runDir = RunDirectory.lock(dir);
    Trainer trainer = new Trainer(config, runDir, null);
    Thread run = new Thread(() -> {
      try {
        trainer.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "bench-trainer");
    run.start();
    Thread.sleep(warmup * 1000L);
    long f0 = trainer.counters().frames();
    long u0 = trainer.counters().updates();
    long[] p0 = trainer.counters().phases().snapshot();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long f1 = trainer.counters().frames();
    long u1 = trainer.counters().updates();
    long[] p1 = trainer.counters().phases().snapshot();
    double fps = (f1 - f0) / ((System.nanoTime() - t0) / 1e9);
    trainer.stop();
    run.join();
    runDir.close();
    for (int i = 0; i < p1.length; i++) {
      p1[i] -= p0[i];
    }
    return new Measured(fps, u1 - u0, p1);
  }
}
