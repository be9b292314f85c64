package ma3c.learner.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import ma3c.cli.RomDirOption;
import ma3c.cli.OptionChecks;
import ma3c.cli.ProjectVersion;
import ma3c.env.embed.LocalGames;
import ma3c.learner.train.Trainer;
import ma3c.learner.algo.Phase;
import ma3c.learner.run.AtomicFiles;
import ma3c.learner.run.Json;
import ma3c.learner.run.RunConfig;
import ma3c.learner.run.RunDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training frames/s of the real training path (embedded env service, the engine's acting forward
 * and backward, shared RMSProp) beside what ALE alone does on the same games with one thread per
 * core, measured in one run: the engine's synthetic cases (FF at t_max 5 and 20, LSTM at t_max 20),
 * a run with every default of {@code train}, each at several thread counts, and optionally runs
 * of 1..12 games; with the milliseconds per update the threads spend in each phase and the memory.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
    description = "Measure training frames/s (FF and LSTM, a default train run, at several thread"
        + " counts; optionally several games) against ALE-only frames/s.")
public final class TrainingBenchmark implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(TrainingBenchmark.class);

  /** The games of the games-scaling cases, first n of them (ALE's; minimal action sets of 4 to 18). */
  static final List<String> SCALING_GAMES = List.of("pong", "breakout", "space_invaders", "phoenix",
      "ms_pacman", "seaquest", "qbert", "beam_rider", "enduro", "asteroids", "boxing", "freeway");

  @CommandLine.Mixin
  BenchGame bench;
  @Option(names = "--threads", split = ",", defaultValue = "2,16",
      description = "Actor-learner thread counts to measure, each 1.." + RunConfig.MAX_THREADS
          + ". Default: ${DEFAULT-VALUE}.")
  List<Integer> threadCounts;
  @Option(names = "--cases", split = ",", defaultValue = "ff5,ff20,lstm20,train",
      description = "ff5, ff20, lstm20 (the engine: A3C's net, sticky 0.25, no metrics or probes),"
          + " train (train --arch a3c with every other default: sticky 0, metrics, trunk probes,"
          + " progress lines, checkpoints). Default: ${DEFAULT-VALUE}.")
  List<String> cases;
  @Option(names = "--games-scaling", split = ",", paramLabel = "N",
      description = "Also train MA3C-2 with train's defaults on the first N of pong, breakout,"
          + " space_invaders, phoenix, ms_pacman, seaquest, qbert, beam_rider, enduro, asteroids,"
          + " boxing, freeway, " + RunConfig.DEFAULT_THREADS_PER_GAME + " threads each, for each N"
          + " given (1..12), e.g. 1,2,6,12.")
  List<Integer> gamesScaling = List.of();
  @Option(names = "--seconds", defaultValue = "30",
      description = "Measured seconds per case, 1..86400. Default: ${DEFAULT-VALUE}.")
  int seconds;
  @Option(names = "--warmup", defaultValue = "15",
      description = "Seconds of training before measuring, per case, 0..86400. Default: ${DEFAULT-VALUE}.")
  int warmup;
  @Option(names = "--json", paramLabel = "FILE",
      description = "Also write the results here, one JSON line per case (rewritten after each case).")
  Path json;
  @Option(names = "--png", paramLabel = "FILE",
      description = "Also draw the ratio to ALE alone and the memory against threads and games here.")
  Path png;
  @CommandLine.Mixin
  RomDirOption roms;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Where the bench makes the folder of its cases' run directories: the temp directory (tests: another). */
  Path scratch = Path.of(System.getProperty("java.io.tmpdir"));

  private record Measured(double fps, long updates, long[] phaseNanos, long rssMiB, long heapMiB) {}

  @Override
  public Integer call() throws Exception {
    Path roms = LocalGames.romDir(this.roms.given());
    List<BenchCase> plan = plan(roms);
    PrintWriter out = spec.commandLine().getOut();
    LocalGames games = new LocalGames(roms);
    int cores = Runtime.getRuntime().availableProcessors();
    out.printf(Locale.ROOT, "%s, frame skip 4, %d cores. ALE alone: the in-process env with random"
        + " actions on %d threads, the case's games and env settings, measured right before each"
        + " case (the machine's speed drifts)%n", bench.name, cores, cores);
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT,
        "%-16s %7s %10s %10s %6s %7s %7s | ms per update (threads' wall time):", "case", "threads",
        "frames/s", "ALE alone", "ratio", "RSS MiB", "heap"));
    for (Phase p : Phase.values()) {
      header.append(String.format(Locale.ROOT, " %8s", p.name().toLowerCase(Locale.ROOT)));
    }
    out.println(header);
    // The cases' runs (checkpoints, logs) are of no use afterwards: removed at the end, also on
    // a failure or Ctrl-C (which skips finally blocks; the trainers write only an episode line
    // now and then, so the removal does not race with them).
    Path runs = Files.createTempDirectory(scratch, "ma3c-bench");
    Thread removal = new Thread(() -> remove(runs), "bench-cleanup");
    Runtime.getRuntime().addShutdownHook(removal);
    List<BenchResult> results = new ArrayList<>();
    try {
      for (BenchCase c : plan) {
        BenchResult r = measure(c, roms, games, cores, Files.createTempDirectory(runs, "case"));
        results.add(r);
        out.println(line(r));
        out.flush();
        if (json != null) {
          AtomicFiles.writeString(json, String.join("\n", results.stream().map(Json.LINE::toJson).toList()) + "\n");
        }
      }
    } finally {
      Runtime.getRuntime().removeShutdownHook(removal);
      remove(runs);
    }
    out.println("(a phase's time includes waiting for a core when threads outnumber cores; RSS"
        + " includes the heap earlier cases grew)");
    if (png != null) {
      ScalingChart.write(results, png);
      out.println("wrote " + png.toAbsolutePath());
    }
    return 0;
  }

  /** The cases in the order they run: each kind at each thread count, then the games in growing number. */
  private List<BenchCase> plan(Path roms) {
    for (int threads : threadCounts) {
      OptionChecks.range(spec, "--threads", threads, 1, RunConfig.MAX_THREADS);
    }
    OptionChecks.range(spec, "--seconds", seconds, 1, 86_400);
    OptionChecks.range(spec, "--warmup", warmup, 0, 86_400);
    String game = bench.checked(roms);
    List<BenchCase> plan = new ArrayList<>();
    for (String id : cases) {
      BenchCase.Kind kind;
      try {
        kind = BenchCase.Kind.of(id);
      } catch (IllegalArgumentException e) {
        throw OptionChecks.usage(spec, "--cases: " + e.getMessage());
      }
      for (int threads : threadCounts) {
        plan.add(BenchCase.oneGame(kind, game, threads));
      }
    }
    for (int n : gamesScaling) {
      OptionChecks.range(spec, "--games-scaling", n, 1, SCALING_GAMES.size());
      for (String g : SCALING_GAMES.subList(0, n)) {
        bench.requireRom(roms, "--games-scaling", g);
      }
      plan.add(BenchCase.games(SCALING_GAMES, n, RunConfig.DEFAULT_THREADS_PER_GAME));
    }
    return plan;
  }

  private static String line(BenchResult r) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "%-16s %7d %,10.0f %,10.0f %6.2f %7s %7d | %36s", r.label(), r.threads(), r.framesPerSecond(),
        r.aleAlone(), r.ratio(), r.rssMiB() < 0 ? "n/a" : Long.toString(r.rssMiB()), r.heapMiB(), ""));
    r.msPerUpdate().values().forEach(ms -> line.append(String.format(Locale.ROOT, " %8.3f", ms)));
    return line.toString();
  }

  private BenchResult measure(BenchCase c, Path roms, LocalGames games, int cores, Path dir)
      throws Exception {
    RunConfig config = c.config(roms);
    double ale = aleAlone(config, games, cores);
    Measured m = train(config, dir);
    LinkedHashMap<String, Double> phases = new LinkedHashMap<>();
    Phase[] names = Phase.values();
    for (int i = 0; i < names.length; i++) {
      phases.put(names[i].name().toLowerCase(Locale.ROOT), m.phaseNanos()[i] / 1e6 / Math.max(1, m.updates()));
    }
    return BenchResult.of(c, m.fps(), ale, m.rssMiB(), m.heapMiB(), phases);
  }

  /**
   * Frames/s of random play on the run's games and env settings, one thread per core (more give
   * ALE nothing): for several games, the rate at which the threads' mix of games runs (a harmonic
   * mean weighted by each game's threads).
   */
  private static double aleAlone(RunConfig config, LocalGames games, int cores) throws Exception {
    double secondsPerFrame = 0;
    for (Map.Entry<String, Integer> g : config.threadsPerGame().entrySet()) {
      // Frame skip 4: four emulator frames per agent step.
      double fps = 4 * games.stepsPerSecond(g.getKey(), config.envRequest(1), cores, 2_000, 20_000);
      secondsPerFrame += (double) g.getValue() / config.threads() / fps;
    }
    return 1 / secondsPerFrame;
  }

  private Measured train(RunConfig config, Path dir) throws Exception {
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
    long[] p0 = trainer.phases().snapshot();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long f1 = trainer.counters().frames();
    long u1 = trainer.counters().updates();
    long[] p1 = trainer.phases().snapshot();
    double fps = (f1 - f0) / ((System.nanoTime() - t0) / 1e9);
    long rss = ProcessMemory.residentMiB();
    long heap = ProcessMemory.liveHeapMiB();
    trainer.stop();
    run.join();
    runDir.close();
    for (int i = 0; i < p1.length; i++) {
      p1[i] -= p0[i];
    }
    return new Measured(fps, u1 - u0, p1, rss, heap);
  }

  private static void remove(Path runs) {
    try {
      RunDirectory.delete(runs);
    } catch (IOException e) {
      log.warn("cannot remove the bench's runs in {}: {}", runs, e.toString());
    }
  }
}
