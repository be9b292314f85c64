package ma3c.learner.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import ma3c.cli.RomDirOption;
import ma3c.cli.OptionChecks;
import ma3c.cli.ProjectVersion;
import ma3c.env.client.Observations;
import ma3c.env.embed.LocalEnv;
import ma3c.env.embed.LocalGames;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EpisodeState;
import ma3c.env.v1.StepResponse;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.algo.SharedModel;
import ma3c.model.Architecture;
import ma3c.model.EngineRoofline;
import ma3c.model.FrameStack;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The training engine's roofline, one thread: per layer of the forward and backward pass, the
 * sync and the RMSProp update, the ms per agent step, FLOPs, bytes and the fraction of this core's
 * peaks ({@link EngineRoofline}), for the bench's three cases (FF t_max 5 and 20, LSTM t_max 20;
 * A3C, one game), on a rollout of the game recorded from the in-process env with random actions.
 */
@Command(name = "roofline", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
    description = "Time each layer of the training engine on one thread against this core's FMA"
        + " peak and memory bandwidth (a roofline).")
public final class RooflineCommand implements Callable<Integer> {
  /** Agent steps played before the recording starts (the game under way, not its first screen). */
  private static final int SKIPPED_STEPS = 100;
  /** Agent steps recorded: 40 rollouts of t_max 5, 10 of t_max 20. */
  private static final int RECORDED_STEPS = 200;

  @CommandLine.Mixin
  BenchGame bench;
  @Option(names = "--seconds", defaultValue = "10",
      description = "Measured seconds per case, 1..3600. Default: ${DEFAULT-VALUE}.")
  int seconds;
  @Option(names = "--warmup", defaultValue = "3",
      description = "Seconds run before measuring, per case (the JIT compiles), 0..3600. Default: ${DEFAULT-VALUE}.")
  int warmup;
  @CommandLine.Mixin
  RomDirOption roms;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private record Case(boolean lstm, int tMax) {}

  @Override
  public Integer call() throws Exception {
    Path roms = LocalGames.romDir(this.roms.given());
    OptionChecks.range(spec, "--seconds", seconds, 1, 3600);
    OptionChecks.range(spec, "--warmup", warmup, 0, 3600);
    bench.checked(roms);
    PrintWriter out = spec.commandLine().getOut();
    Recording recording = record(new LocalGames(roms));
    long[] sizes = EngineRoofline.triadSizes();
    EngineRoofline.Peaks peaks = EngineRoofline.measurePeaks(0.5, sizes);
    printPeaks(out, peaks);
    for (Case c : new Case[] {new Case(false, 5), new Case(false, 20), new Case(true, 20)}) {
      measure(out, c, recording, peaks);
    }
    out.println("Per agent step: a phase once per rollout (backward, sync, RMSProp) counts 1/t_max."
        + " MFLOP: multiply and add apart, matrix products only; done = with the zero inputs that"
        + " gemv (forward), gemmRows/gemmNTColumns (backward) and conv2's input gradient (its"
        + " outputs' zero gradients) skip left out. MB: the weights'"
        + " and gradients' traffic (what the level column holds), not the activations' (in L1/L2)."
        + " ceiling: the bandwidth at the level half of which holds the phase's data (read: the"
        + " phase only reads it; the triad's store pays a write-allocate read it does not count, so"
        + " a phase that writes what it read may pass 100%). roof: min(FMA peak, FLOP/byte x"
        + " ceiling); %roof = achieved / roof; ms@roof = the phase's time at its roof."
        + " Parameters at initialisation (ReLU sparsity of a trained net differs).");
    out.flush();
    return 0;
  }

  /** The game's frames with random actions: stacked for the FF net, one a step for the LSTM net. */
  private record Recording(int actions, byte[][] stacked, byte[][] single) {}

  private Recording record(LocalGames games) throws Exception {
    int frame = NetSpec.SIZE * NetSpec.SIZE;
    try (LocalEnv env = games.open(bench.name, EnvConfig.newBuilder().setSeed(1).build())) {
      int actions = env.spec().getActionCount();
      SplittableRandom random = new SplittableRandom(1);
      FrameStack stack = new FrameStack(NetSpec.FF_FRAMES, frame);
      stack.reset(Observations.pixels(env.reset(OptionalLong.empty()).getObservation(), frame));
      byte[][] stacked = new byte[RECORDED_STEPS][];
      byte[][] single = new byte[RECORDED_STEPS][];
      for (int i = -SKIPPED_STEPS; i < RECORDED_STEPS; i++) {
        StepResponse step = env.step(random.nextInt(actions));
        byte[] pixels = Observations.pixels(step.getObservation(), frame);
        if (step.getState() != EpisodeState.RUNNING) {
          pixels = Observations.pixels(env.reset(OptionalLong.empty()).getObservation(), frame);
          stack.reset(pixels);
        } else {
          stack.push(pixels);
        }
        if (i >= 0) {
          stacked[i] = stack.observation();
          single[i] = pixels;
        }
      }
      return new Recording(actions, stacked, single);
    }
  }

  private static void printPeaks(PrintWriter out, EngineRoofline.Peaks peaks) {
    int bits = EngineRoofline.vectorBits();
    out.printf(Locale.ROOT, "Peaks, one thread, the engine's one vector species (SPECIES_PREFERRED, %d bits,"
        + " %d floats):%n", bits, bits / 32);
    out.printf(Locale.ROOT, "  FMA: %.1f GFLOP/s (independent chains acc = acc * a + b: 8 -> %.1f, 12 -> %.1f,"
        + " 16 -> %.1f; best of several runs)%n", peaks.fmaGflops(), peaks.gflopsPerCount()[0],
        peaks.gflopsPerCount()[1], peaks.gflopsPerCount()[2]);
    StringBuilder triads = new StringBuilder("  triad a = b + s*c, 12 bytes per element, the best pass:");
    StringBuilder reads = new StringBuilder("  read, the sum of one array, 4 bytes per element, the best pass:");
    for (EngineRoofline.Bandwidth b : peaks.triads()) {
      triads.append(String.format(Locale.ROOT, " %s (%s): %.1f GB/s;", b.level(), size(b.bytes()),
          b.gbPerSecond()));
      reads.append(String.format(Locale.ROOT, " %s: %.1f GB/s;", b.level(), b.readGbPerSecond()));
    }
    out.println(triads);
    out.println(reads);
    out.printf(Locale.ROOT, "  caches (sysfs, CPU 0): L2 %s, L3 %s%n", size(EngineRoofline.cacheBytes(2, -1)),
        size(EngineRoofline.cacheBytes(3, -1)));
  }

  private static String size(long bytes) {
    if (bytes < 0) {
      return "unknown";
    }
    return bytes >= 1L << 20 ? (bytes >> 20) + " MB" : (bytes >> 10) + " KB";
  }

  private void measure(PrintWriter out, Case c, Recording recording, EngineRoofline.Peaks peaks) {
    NetSpec netSpec = new NetSpec(Architecture.A3C, c.lstm(), Map.of(bench.name, recording.actions()));
    ParameterLayout layout = new ParameterLayout(netSpec);
    float[] theta = layout.initialParameters(1);
    EngineRoofline.Result result = new EngineRoofline(layout, bench.name, c.tMax())
        .measure(theta, c.lstm() ? recording.single() : recording.stacked(), warmup, seconds);
    List<EngineRoofline.Row> rows = new ArrayList<>(result.rows());
    rows.add(rmsProp(layout, c, theta, result.gradient()));
    out.printf(Locale.ROOT, "%n%s, t_max %d: %s, %d actions, %d parameters; %d rollouts of the recording,"
        + " %,d agent steps timed%n", c.lstm() ? "LSTM" : "FF", c.tMax(), bench.name, recording.actions(),
        layout.size(), result.rollouts(), result.agentSteps());
    out.print(EngineRoofline.table(rows, peaks));
    out.println(result.liveNote());
    out.flush();
  }

  /**
   * The RMSProp update ({@link SharedModel#update}: the clip's norm, then the step) with the last
   * rollout's gradient, on a copy of the parameters, timed for a quarter of the case's time (at
   * least a second).
   */
  private EngineRoofline.Row rmsProp(ParameterLayout layout, Case c, float[] theta, float[] grad) {
    A3CConfig config = A3CConfig.defaults(c.lstm(), Long.MAX_VALUE / 4).withTMax(c.tMax());
    SharedModel shared = SharedModel.startingFrom(layout, theta.clone(), config.rmsProp().init(),
        ma3c.learner.algo.Freeze.NONE);
    // At least a second of warm-up: the first case's updates are the JIT's first sight of them.
    for (long end = System.nanoTime() + Math.max(1, warmup) * 1_000_000_000L; System.nanoTime() < end; ) {
      shared.update(bench.name, grad, config, 0);
    }
    long updates = 0;
    long start = System.nanoTime();
    long end = start + Math.max(1_000_000_000L, seconds * 250_000_000L);
    do {
      shared.update(bench.name, grad, config, 0);
      updates++;
    } while (System.nanoTime() < end);
    double msPerUpdate = (System.nanoTime() - start) / 1e6 / updates;
    long bytes = EngineRoofline.rmsPropBytes(layout, bench.name, grad);
    return new EngineRoofline.Row("RMSProp (update)", msPerUpdate / c.tMax(), Double.NaN, Double.NaN,
        (double) bytes / c.tMax(), EngineRoofline.levelFor(3L * 4 * grad.length), false);
  }
}
