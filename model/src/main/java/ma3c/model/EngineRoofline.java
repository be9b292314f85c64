package ma3c.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A roofline of the training engine, one thread: each layer of {@link A3CNet}'s forward and
 * backward pass (and the sync of its parameters) timed on a net that holds real rollouts, with
 * per agent step its time, its FLOPs (dense, from the shapes, and the ones done where a kernel
 * skips zero inputs), and for the phases that stream weights the bytes they move; set against
 * this core's peaks, measured by the small kernels here: an FMA loop and a STREAM-style triad.
 *
 * <p>The layers run in the order of the real pass, with a clock read between two layers (the
 * harness's only addition), so each layer finds the caches as the training loop leaves them;
 * the net's results are those of an untimed pass.
 */
public final class EngineRoofline {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int L = SPECIES.length();
  private static final int S = NetSpec.SIZE;
  private static final int K1 = 8;
  private static final int P1 = 20 * 20;
  private static final int K2 = 4;
  private static final int P2 = NetSpec.CONV2_OUT * NetSpec.CONV2_OUT;
  private static final int C1 = NetSpec.CONV1;
  private static final int C2 = NetSpec.CONV2;
  private static final int KK2 = C1 * K2 * K2;
  private static final int FLAT = NetSpec.FLAT;
  private static final int H = NetSpec.HIDDEN;
  private static final int G = 4 * H;

  /** The phases of one update, in the order they run. */
  public enum Phase {
    INPUT("fwd input (x / 255)", true),
    CONV1("fwd conv1", true),
    CONV2("fwd conv2", true),
    FC("fwd fc (gemv)", true),
    LSTM("fwd lstm (2 gemv)", true),
    HEADS("fwd heads", true),
    ZERO_GRAD("bwd zero gradient", false),
    HEADS_BACK("bwd loss + heads", false),
    LSTM_BACK("bwd lstm", false),
    FC_BACK("bwd fc", false),
    CONV2_BACK("bwd conv2 weights", false),
    CONV2_INPUT_BACK("bwd conv2 input", false),
    CONV1_BACK("bwd conv1", false),
    SYNC("sync (loadFrom)", false);

    private final String label;
    private final boolean forward;

    Phase(String label, boolean forward) {
      this.label = label;
      this.forward = forward;
    }

    public String label() {
      return label;
    }

    public boolean forward() {
      return forward;
    }
  }

  /** Which bandwidth a memory phase is compared with: the level its data fits in. */
  public enum Level { L2, L3, DRAM }

  /**
   * The bandwidth of one level: the bytes the kernels' arrays take, the triad's GB/s (three
   * arrays together) and a read-only stream's (a sum over one array: the ceiling of phases that
   * only read, such as the batch-1 gemvs, which pay no write-allocate as the triad's store does).
   */
  public record Bandwidth(Level level, long bytes, double gbPerSecond, double readGbPerSecond) {}

  /**
   * The core's ceilings: the FMA peak (GFLOP/s, at the best of the accumulator counts tried),
   * GFLOP/s per count tried, and the triad bandwidth per level.
   */
  public record Peaks(double fmaGflops, int bestAccumulators, double[] gflopsPerCount,
      List<Bandwidth> triads) {
    public Bandwidth at(Level level) {
      return triads.stream().filter(b -> b.level() == level).findFirst().orElseThrow();
    }
  }

  /**
   * One phase per agent step: ms, FLOPs (dense from the shapes, and done; NaN for a phase that
   * only moves data), bytes moved (NaN for a phase counted as compute only), the level those
   * bytes come from (null without bytes) and whether the phase only reads them (its memory
   * ceiling is then the read-only stream's, else the triad's).
   */
  public record Row(String phase, double msPerStep, double denseFlops, double flopsDone,
      double bytes, Level level, boolean readOnly) {}

  /**
   * A measured case: its rows, the agent steps measured, the live fractions the counts used, and
   * the gradient and loss terms of the last rollout it ran (for checks).
   */
  public record Result(List<Row> rows, long agentSteps, int rollouts, String liveNote,
      int lastRollout, float[] gradient, A3CNet.Losses losses) {}

  /** The actions, returns and advantages of a rollout (fixed pseudo-random, per rollout index). */
  record Targets(int[] taken, double[] returns, double[] advantages) {}

  private static final double VALUE_COEF = 0.5;
  private static final double BETA = 0.01;
  private static final int PHASES = Phase.values().length;

  private final ParameterLayout layout;
  private final String game;
  private final int tMax;
  private final int frames;
  private final int actions;
  private final boolean lstm;

  public EngineRoofline(ParameterLayout layout, String game, int tMax) {
    this.layout = layout;
    this.game = game;
    this.tMax = tMax;
    this.frames = layout.spec().frames();
    this.actions = layout.spec().actions(game);
    this.lstm = layout.spec().lstm();
  }

  /**
   * Times each phase over the rollouts in {@code observations} (consecutive agent steps, cut into
   * rollouts of t_max; an LSTM rollout starts from the state the previous one ended in, the first
   * from zero), round-robin: {@code warmupSeconds} untimed, then at least {@code seconds} (and at
   * least one rollout) timed.
   */
  public Result measure(float[] theta, byte[][] observations, double warmupSeconds, double seconds) {
    int rollouts = observations.length / tMax;
    if (rollouts < 1) {
      throw new IllegalArgumentException(observations.length + " observations, fewer than t_max " + tMax);
    }
    A3CNet net = new A3CNet(layout, game, tMax);
    net.loadFrom(theta);
    float[][] h0 = new float[rollouts][H];
    float[][] c0 = new float[rollouts][H];
    Targets[] targets = new Targets[rollouts];
    net.resetState();
    for (int r = 0; r < rollouts; r++) {
      net.state(h0[r], c0[r]);
      targets[r] = targets(r, tMax, actions);
      net.beginRollout();
      for (int s = 0; s < tMax; s++) {
        net.act(observations[r * tMax + s]);
      }
    }
    float[] grad = new float[net.size()];
    Counts warm = new Counts();
    int r = 0;
    for (long end = System.nanoTime() + (long) (warmupSeconds * 1e9); System.nanoTime() < end; ) {
      rollout(net, theta, observations, r, h0[r], c0[r], targets[r], grad, warm);
      r = (r + 1) % rollouts;
    }
    Counts counts = new Counts();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    A3CNet.Losses losses;
    int last;
    do {
      losses = rollout(net, theta, observations, r, h0[r], c0[r], targets[r], grad, counts);
      last = r;
      r = (r + 1) % rollouts;
    } while (System.nanoTime() < end);
    return new Result(rows(counts, net.size()), counts.steps, rollouts, liveNote(counts), last, grad, losses);
  }

  /** Per-phase nanoseconds and the live inputs the skipping kernels saw, summed over rollouts. */
  private static final class Counts {
    final long[] nanos = new long[PHASES];
    long steps;
    long rollouts;
    long liveFc;
    long liveLstm;
    long liveFcBack;
    long liveConv2Outputs;
    long liveLstmBack;
  }

  /** One rollout: sync, the forward pass step by step, the backward pass; each phase timed. */
  private A3CNet.Losses rollout(A3CNet net, float[] theta, byte[][] observations, int r,
      float[] h0, float[] c0, Targets target, float[] grad, Counts counts) {
    long[] ns = counts.nanos;
    long now = System.nanoTime();
    net.loadFrom(theta);
    now = lap(ns, Phase.SYNC, now);
    if (lstm) {
      net.setState(h0, c0);
    }
    net.beginRollout();
    for (int s = 0; s < tMax; s++) {
      byte[] observation = observations[r * tMax + s];
      now = System.nanoTime();
      int t = net.nextStep();
      net.loadInput(t, observation);
      now = lap(ns, Phase.INPUT, now);
      net.conv1Forward(t);
      now = lap(ns, Phase.CONV1, now);
      net.conv2Forward(t);
      now = lap(ns, Phase.CONV2, now);
      net.fcForward(t);
      now = lap(ns, Phase.FC, now);
      if (lstm) {
        net.lstmStep(t, true);
        now = lap(ns, Phase.LSTM, now);
      }
      net.headsForward(t);
      lap(ns, Phase.HEADS, now);
      counts.liveFc += net.liveFcInputs(t);
      if (lstm) {
        counts.liveLstm += net.liveLstmInputs(t);
      }
    }
    now = System.nanoTime();
    net.beginBackward(tMax, grad);
    now = lap(ns, Phase.ZERO_GRAD, now);
    A3CNet.Losses losses = net.lossBackward(tMax, target.taken(), target.returns(), target.advantages(), VALUE_COEF, BETA, grad);
    now = lap(ns, Phase.HEADS_BACK, now);
    if (lstm) {
      counts.liveLstmBack += net.lstmBackward(tMax, grad);
      now = lap(ns, Phase.LSTM_BACK, now);
    }
    counts.liveFcBack += net.fcBackward(tMax, grad);
    now = lap(ns, Phase.FC_BACK, now);
    for (int t = 0; t < tMax; t++) {
      net.conv2Backward(t, grad);
      now = lap(ns, Phase.CONV2_BACK, now);
      counts.liveConv2Outputs += net.conv2InputGradient();
      now = lap(ns, Phase.CONV2_INPUT_BACK, now);
      net.conv1Backward(t, grad);
      now = lap(ns, Phase.CONV1_BACK, now);
    }
    counts.steps += tMax;
    counts.rollouts++;
    return losses;
  }

  private static long lap(long[] nanos, Phase phase, long since) {
    long now = System.nanoTime();
    nanos[phase.ordinal()] += now - since;
    return now;
  }

  /** Fixed pseudo-random actions, returns and advantages for rollout {@code r}. */
  static Targets targets(int r, int steps, int actions) {
    SplittableRandom random = new SplittableRandom(1000L + r);
    int[] taken = new int[steps];
    double[] returns = new double[steps];
    double[] advantages = new double[steps];
    for (int t = 0; t < steps; t++) {
      taken[t] = random.nextInt(actions);
      returns[t] = random.nextDouble(-1, 1);
      advantages[t] = random.nextDouble(-1, 1);
    }
    return new Targets(taken, returns, advantages);
  }

  private List<Row> rows(Counts c, int parameters) {
    double steps = c.steps;
    double liveFc = c.liveFc / steps;
    double liveLstm = c.liveLstm / steps;
    double liveFcBack = c.liveFcBack / (double) c.rollouts;
    double liveLstmBack = c.liveLstmBack / (double) c.rollouts;
    List<Row> rows = new ArrayList<>();
    for (Phase p : Phase.values()) {
      if (!lstm && (p == Phase.LSTM || p == Phase.LSTM_BACK)) {
        continue;
      }
      double ms = c.nanos[p.ordinal()] / 1e6 / steps;
      double dense = denseFlops(p, frames, actions, tMax);
      double done = dense;
      double bytes = Double.NaN;
      long footprint = 0;
      switch (p) {
        case INPUT -> {
          // Read the bytes, write the floats (conv1 reads them in place: no unfolded copy).
          int pixels = frames * S * S;
          bytes = pixels + 4.0 * pixels;
          footprint = 5L * pixels;
        }
        case FC -> {
          done = 2 * liveFc * H;
          bytes = 4 * liveFc * H;
          footprint = 4L * FLAT * H;
        }
        case LSTM -> {
          done = 2 * liveLstm * G;
          bytes = 4 * liveLstm * G;
          footprint = 8L * H * G;
        }
        case ZERO_GRAD -> {
          bytes = 4.0 * parameters / tMax;
          footprint = 4L * parameters;
        }
        case LSTM_BACK -> {
          done = lstmBackFlops(liveLstmBack, tMax);
          // Wh read per step (dh = dz Wh^T), its gradient read and written, the live rows of the
          // Wx gradient read and written and of Wx read (dx = dz Wx^T); per rollout.
          bytes = (4.0 * H * G * (tMax - 1) + 8.0 * H * G + 12.0 * liveLstmBack * G) / tMax;
          footprint = 16L * H * G;
        }
        case FC_BACK -> {
          done = 4 * liveFcBack * H;
          // The live rows of the weight gradient read and written, of the weights read; per rollout.
          bytes = 12.0 * liveFcBack * H / tMax;
          footprint = 8L * FLAT * H;
        }
        // Only conv2 outputs whose gradient is not 0 feed its input gradient.
        case CONV2_INPUT_BACK -> done = dense * c.liveConv2Outputs / steps / (C2 * P2);
        case SYNC -> {
          bytes = 8.0 * parameters / tMax;
          footprint = 8L * parameters;
        }
        default -> { }
      }
      rows.add(new Row(p.label(), ms, dense, done, bytes, Double.isNaN(bytes) ? null : levelFor(footprint),
          p == Phase.FC || p == Phase.LSTM));
    }
    return rows;
  }

  private String liveNote(Counts c) {
    double steps = c.steps;
    StringBuilder note = new StringBuilder(String.format(Locale.ROOT,
        "live inputs: fc forward %.1f%% of %d per step, fc backward %.1f%% (live at some step of the rollout)",
        100 * c.liveFc / steps / FLAT, FLAT, 100.0 * c.liveFcBack / c.rollouts / FLAT));
    if (lstm) {
      note.append(String.format(Locale.ROOT,
          "; lstm forward %.1f%% of %d (x and h), lstm backward %.1f%% of %d (x)",
          100 * c.liveLstm / steps / (2 * H), 2 * H, 100.0 * c.liveLstmBack / c.rollouts / H, H));
    }
    return note.toString();
  }

  /**
   * Dense FLOPs (multiply and add counted apart) of a phase per agent step, from the shapes:
   * matrix products only (biases, ReLUs, gate functions and softmax left out); a backward phase
   * done once per rollout of {@code tMax} steps counts its share.
   */
  static double denseFlops(Phase phase, int frames, int actions, int tMax) {
    double kk1 = frames * K1 * K1;
    return switch (phase) {
      case CONV1 -> 2 * C1 * P1 * kk1;
      case CONV2 -> 2.0 * C2 * P2 * KK2;
      case FC -> 2.0 * FLAT * H;
      case LSTM -> 2.0 * 2 * H * G;
      case HEADS -> 2.0 * H * (actions + 1);
      case HEADS_BACK -> 4.0 * H * (actions + 1);
      case LSTM_BACK -> lstmBackFlops(H, tMax);
      case FC_BACK -> 4.0 * FLAT * H;
      case CONV2_BACK, CONV2_INPUT_BACK -> 2.0 * C2 * P2 * KK2;
      // The weight gradient only: no gradient into the pixels.
      case CONV1_BACK -> 2 * C1 * P1 * kk1;
      default -> Double.NaN;
    };
  }

  /**
   * The LSTM backward per agent step with {@code liveX} live fc outputs: dh through Wh at every
   * step but the first, the Wh gradient, and the Wx gradient and dx on the live rows.
   */
  private static double lstmBackFlops(double liveX, int tMax) {
    return (2.0 * H * G * (tMax - 1) + 2.0 * H * G * tMax + 4.0 * liveX * G * tMax) / tMax;
  }

  /** Where data of {@code bytes} lives in a loop: L2 up to half of it, L3 up to half of it, else DRAM. */
  public static Level levelFor(long bytes) {
    if (bytes <= cacheBytes(2, 1L << 20) / 2) {
      return Level.L2;
    }
    return bytes <= cacheBytes(3, 32L << 20) / 2 ? Level.L3 : Level.DRAM;
  }

  /**
   * The size of this CPU's unified or data cache of {@code level} (Linux's sysfs, for CPU 0),
   * or {@code fallback}.
   */
  public static long cacheBytes(int level, long fallback) {
    Path caches = Path.of("/sys/devices/system/cpu/cpu0/cache");
    for (int i = 0; i < 8; i++) {
      Path index = caches.resolve("index" + i);
      try {
        if (!Files.isDirectory(index)
            || Integer.parseInt(Files.readString(index.resolve("level")).trim()) != level
            || Files.readString(index.resolve("type")).trim().equals("Instruction")) {
          continue;
        }
        String size = Files.readString(index.resolve("size")).trim();
        long unit = size.endsWith("K") ? 1L << 10 : size.endsWith("M") ? 1L << 20 : 1;
        return Long.parseLong(size.replaceAll("[^0-9]", "")) * unit;
      } catch (java.io.IOException | NumberFormatException e) {
        return fallback;
      }
    }
    return fallback;
  }

  // ---- The peaks ----

  /** The triad sizes: fits L2, fits L3, and twice the reported L3 (at least 256 MB, at most 1 GB). */
  public static long[] triadSizes() {
    long dram = Math.min(1L << 30, Math.max(256L << 20, 2 * cacheBytes(3, 32L << 20)));
    return new long[] {256L << 10, 8L << 20, dram};
  }

  /**
   * The FMA peak and the triad bandwidth at {@code sizes} (bytes of the three arrays together:
   * L2, L3, DRAM), one thread; each figure the best of several runs of about
   * {@code secondsPerRun}.
   */
  public static Peaks measurePeaks(double secondsPerRun, long[] sizes) {
    int[] counts = {8, 12, 16};
    double[] gflops = new double[counts.length];
    int best = 0;
    for (int i = 0; i < counts.length; i++) {
      gflops[i] = fmaGflops(counts[i], secondsPerRun);
      if (gflops[i] > gflops[best]) {
        best = i;
      }
    }
    List<Bandwidth> triads = new ArrayList<>();
    Level[] levels = Level.values();
    for (int i = 0; i < levels.length; i++) {
      triads.add(new Bandwidth(levels[i], sizes[i], triadGbPerSecond(sizes[i], secondsPerRun),
          readGbPerSecond(sizes[i], secondsPerRun)));
    }
    return new Peaks(gflops[best], counts[best], gflops, triads);
  }

  /** Vector bits of the one species the engine uses. */
  public static int vectorBits() {
    return SPECIES.vectorBitSize();
  }

  /**
   * GFLOP/s of {@code accumulators} independent FMA chains: the loop's length grown until a run
   * lasts a quarter of {@code secondsPerRun} (the JIT has compiled it by then), then the best of
   * five runs of that length.
   */
  static double fmaGflops(int accumulators, double secondsPerRun) {
    int iterations = 1 << 12;
    float sink = 0;
    for (int grow = 0; grow < 30; grow++) {
      long start = System.nanoTime();
      sink += fmaChains(accumulators, iterations);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (seconds >= secondsPerRun / 4 || iterations > 1 << 29) {
        break;
      }
      iterations = (int) Math.min(1 << 30, iterations * Math.min(16, Math.max(2, secondsPerRun / 2 / Math.max(seconds, 1e-7))));
    }
    double best = 0;
    for (int run = 0; run < 5; run++) {
      long start = System.nanoTime();
      sink += fmaChains(accumulators, iterations);
      double seconds = (System.nanoTime() - start) / 1e9;
      best = Math.max(best, 2.0 * L * accumulators * iterations / seconds / 1e9);
    }
    if (sink == 42.4242f) {
      System.out.print("");
    }
    return best;
  }

  private static float fmaChains(int accumulators, int iterations) {
    return switch (accumulators) {
      case 8 -> fma8(iterations);
      case 12 -> fma12(iterations);
      case 16 -> fma16(iterations);
      default -> throw new IllegalArgumentException("8, 12 or 16 accumulators");
    };
  }

  // acc = acc * a + b, with 0 < a < 1: every chain stays finite and normal, and its FMAs depend
  // on one another, so the count of chains is what covers the FMA latency.
  private static float fma8(int n) {
    FloatVector a = FloatVector.broadcast(SPECIES, 0.999f);
    FloatVector b = FloatVector.broadcast(SPECIES, 0.001f);
    FloatVector s0 = FloatVector.broadcast(SPECIES, 0.1f);
    FloatVector s1 = s0.add(0.01f);
    FloatVector s2 = s0.add(0.02f);
    FloatVector s3 = s0.add(0.03f);
    FloatVector s4 = s0.add(0.04f);
    FloatVector s5 = s0.add(0.05f);
    FloatVector s6 = s0.add(0.06f);
    FloatVector s7 = s0.add(0.07f);
    for (int i = 0; i < n; i++) {
      s0 = s0.fma(a, b);
      s1 = s1.fma(a, b);
      s2 = s2.fma(a, b);
      s3 = s3.fma(a, b);
      s4 = s4.fma(a, b);
      s5 = s5.fma(a, b);
      s6 = s6.fma(a, b);
      s7 = s7.fma(a, b);
    }
    return s0.add(s1).add(s2).add(s3).add(s4).add(s5).add(s6).add(s7).lane(0);
  }

  private static float fma12(int n) {
    FloatVector a = FloatVector.broadcast(SPECIES, 0.999f);
    FloatVector b = FloatVector.broadcast(SPECIES, 0.001f);
    FloatVector s0 = FloatVector.broadcast(SPECIES, 0.1f);
    FloatVector s1 = s0.add(0.01f);
    FloatVector s2 = s0.add(0.02f);
    FloatVector s3 = s0.add(0.03f);
    FloatVector s4 = s0.add(0.04f);
    FloatVector s5 = s0.add(0.05f);
    FloatVector s6 = s0.add(0.06f);
    FloatVector s7 = s0.add(0.07f);
    FloatVector s8 = s0.add(0.08f);
    FloatVector s9 = s0.add(0.09f);
    FloatVector s10 = s0.add(0.10f);
    FloatVector s11 = s0.add(0.11f);
    for (int i = 0; i < n; i++) {
      s0 = s0.fma(a, b);
      s1 = s1.fma(a, b);
      s2 = s2.fma(a, b);
      s3 = s3.fma(a, b);
      s4 = s4.fma(a, b);
      s5 = s5.fma(a, b);
      s6 = s6.fma(a, b);
      s7 = s7.fma(a, b);
      s8 = s8.fma(a, b);
      s9 = s9.fma(a, b);
      s10 = s10.fma(a, b);
      s11 = s11.fma(a, b);
    }
    return s0.add(s1).add(s2).add(s3).add(s4).add(s5).add(s6).add(s7).add(s8).add(s9).add(s10)
        .add(s11).lane(0);
  }

  private static float fma16(int n) {
    FloatVector a = FloatVector.broadcast(SPECIES, 0.999f);
    FloatVector b = FloatVector.broadcast(SPECIES, 0.001f);
    FloatVector s0 = FloatVector.broadcast(SPECIES, 0.1f);
    FloatVector s1 = s0.add(0.01f);
    FloatVector s2 = s0.add(0.02f);
    FloatVector s3 = s0.add(0.03f);
    FloatVector s4 = s0.add(0.04f);
    FloatVector s5 = s0.add(0.05f);
    FloatVector s6 = s0.add(0.06f);
    FloatVector s7 = s0.add(0.07f);
    FloatVector s8 = s0.add(0.08f);
    FloatVector s9 = s0.add(0.09f);
    FloatVector s10 = s0.add(0.10f);
    FloatVector s11 = s0.add(0.11f);
    FloatVector s12 = s0.add(0.12f);
    FloatVector s13 = s0.add(0.13f);
    FloatVector s14 = s0.add(0.14f);
    FloatVector s15 = s0.add(0.15f);
    for (int i = 0; i < n; i++) {
      s0 = s0.fma(a, b);
      s1 = s1.fma(a, b);
      s2 = s2.fma(a, b);
      s3 = s3.fma(a, b);
      s4 = s4.fma(a, b);
      s5 = s5.fma(a, b);
      s6 = s6.fma(a, b);
      s7 = s7.fma(a, b);
      s8 = s8.fma(a, b);
      s9 = s9.fma(a, b);
      s10 = s10.fma(a, b);
      s11 = s11.fma(a, b);
      s12 = s12.fma(a, b);
      s13 = s13.fma(a, b);
      s14 = s14.fma(a, b);
      s15 = s15.fma(a, b);
    }
    return s0.add(s1).add(s2).add(s3).add(s4).add(s5).add(s6).add(s7).add(s8).add(s9).add(s10)
        .add(s11).add(s12).add(s13).add(s14).add(s15).lane(0);
  }

  /**
   * STREAM's triad a = b + s c over three arrays of {@code bytes} together, in GB/s counting 12
   * bytes per element (two reads, one write; the write-allocate read not counted, as STREAM
   * does): the best pass of those in about {@code secondsPerRun} (at least three passes).
   */
  static double triadGbPerSecond(long bytes, double secondsPerRun) {
    int n = (int) Math.max(L, bytes / 12 / L * L);
    float[] a = new float[n];
    float[] b = new float[n];
    float[] c = new float[n];
    java.util.Arrays.fill(b, 1f);
    java.util.Arrays.fill(c, 2f);
    double best = Double.MAX_VALUE;
    long end = System.nanoTime() + (long) (secondsPerRun * 1e9);
    int passes = 0;
    // Short arrays: many passes per timing, so the clock's cost does not count.
    int repeat = (int) Math.max(1, (1L << 20) / n);
    while (passes < 3 || System.nanoTime() < end) {
      long start = System.nanoTime();
      for (int k = 0; k < repeat; k++) {
        triad(n, a, b, c, 0.5f);
      }
      best = Math.min(best, (System.nanoTime() - start) / (double) repeat);
      passes++;
    }
    if (a[n - 1] != 2f) {
      throw new IllegalStateException("triad computed " + a[n - 1]);
    }
    return 12.0 * n / best;
  }

  /**
   * A read-only stream: the sum of one array of {@code bytes}, eight vector accumulators, in GB/s
   * at 4 bytes per element: the best pass of those in about {@code secondsPerRun}.
   */
  static double readGbPerSecond(long bytes, double secondsPerRun) {
    int n = (int) Math.max(8L * L, bytes / 4 / (8L * L) * (8L * L));
    float[] x = new float[n];
    java.util.Arrays.fill(x, 1f);
    double best = Double.MAX_VALUE;
    long end = System.nanoTime() + (long) (secondsPerRun * 1e9);
    int passes = 0;
    int repeat = (int) Math.max(1, (1L << 20) / n);
    float sum = 0;
    while (passes < 3 || System.nanoTime() < end) {
      long start = System.nanoTime();
      for (int k = 0; k < repeat; k++) {
        sum += sum(n, x);
      }
      best = Math.min(best, (System.nanoTime() - start) / (double) repeat);
      passes++;
    }
    if (sum <= 0) {
      throw new IllegalStateException("read stream summed " + sum);
    }
    return 4.0 * n / best;
  }

  private static float sum(int n, float[] x) {
    FloatVector s0 = FloatVector.zero(SPECIES);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    FloatVector s4 = s0;
    FloatVector s5 = s0;
    FloatVector s6 = s0;
    FloatVector s7 = s0;
    for (int i = 0; i < n; i += 8 * L) {
      s0 = s0.add(FloatVector.fromArray(SPECIES, x, i));
      s1 = s1.add(FloatVector.fromArray(SPECIES, x, i + L));
      s2 = s2.add(FloatVector.fromArray(SPECIES, x, i + 2 * L));
      s3 = s3.add(FloatVector.fromArray(SPECIES, x, i + 3 * L));
      s4 = s4.add(FloatVector.fromArray(SPECIES, x, i + 4 * L));
      s5 = s5.add(FloatVector.fromArray(SPECIES, x, i + 5 * L));
      s6 = s6.add(FloatVector.fromArray(SPECIES, x, i + 6 * L));
      s7 = s7.add(FloatVector.fromArray(SPECIES, x, i + 7 * L));
    }
    return s0.add(s1).add(s2).add(s3).add(s4).add(s5).add(s6).add(s7).lane(0);
  }

  private static void triad(int n, float[] a, float[] b, float[] c, float s) {
    FloatVector sv = FloatVector.broadcast(SPECIES, s);
    for (int i = 0; i < n; i += L) {
      FloatVector.fromArray(SPECIES, c, i).fma(sv, FloatVector.fromArray(SPECIES, b, i)).intoArray(a, i);
    }
  }

  // ---- The table ----

  /**
   * The rows as a table: per agent step ms, MFLOP dense and done, GFLOP/s and its fraction of the
   * FMA peak; MB, GB/s and its fraction of the memory ceiling at the level the data fits in (the
   * read-only stream for a phase that only reads, else the triad); the roofline bound (compute,
   * or memory where FLOPs per byte times that bandwidth is below the peak), the fraction of it
   * achieved, and the ms the phase would take at its roof.
   */
  public static String table(List<Row> rows, Peaks peaks) {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "%-23s %8s %8s %8s %7s %6s %7s %6s %-7s %6s %-9s %6s %8s%n", "phase", "ms/step", "MFLOP",
        "MFLOP", "GFLOP/s", "%FMA", "MB/step", "GB/s", "ceiling", "%BW", "roof", "%roof", "ms@roof"));
    out.append(String.format(Locale.ROOT, "%-23s %8s %8s %8s%n", "", "", "dense", "done"));
    double forward = 0;
    double backward = 0;
    double total = 0;
    double atRoof = 0;
    for (Row r : rows) {
      double seconds = r.msPerStep() / 1e3;
      boolean flops = !Double.isNaN(r.flopsDone());
      boolean bytes = !Double.isNaN(r.bytes());
      double gflops = flops ? r.flopsDone() / seconds / 1e9 : Double.NaN;
      double gbs = bytes ? r.bytes() / seconds / 1e9 : Double.NaN;
      double bandwidth = Double.NaN;
      String ceiling = "";
      if (bytes) {
        Bandwidth level = peaks.at(r.level());
        bandwidth = r.readOnly() ? level.readGbPerSecond() : level.gbPerSecond();
        ceiling = r.level() + (r.readOnly() ? " read" : " triad");
      }
      String roof;
      double ofRoof;
      if (flops && bytes) {
        double memoryRoof = r.flopsDone() / r.bytes() * bandwidth;
        roof = memoryRoof < peaks.fmaGflops() ? r.level() + " mem" : "compute";
        ofRoof = gflops / Math.min(peaks.fmaGflops(), memoryRoof);
      } else if (flops) {
        roof = "compute";
        ofRoof = gflops / peaks.fmaGflops();
      } else {
        roof = r.level() + " mem";
        ofRoof = gbs / bandwidth;
      }
      double roofMs = r.msPerStep() * Math.min(1, ofRoof);
      out.append(String.format(Locale.ROOT,
          "%-23s %8.4f %8s %8s %7s %6s %7s %6s %-7s %6s %-9s %5.1f%% %8.4f%n",
          r.phase(), r.msPerStep(), number(r.denseFlops() / 1e6, 3), number(r.flopsDone() / 1e6, 3),
          number(gflops, 1), percent(gflops / peaks.fmaGflops()), number(r.bytes() / 1e6, 3),
          number(gbs, 1), ceiling, percent(gbs / bandwidth), roof, 100 * ofRoof, roofMs));
      if (r.phase().startsWith("fwd")) {
        forward += r.msPerStep();
      } else if (r.phase().startsWith("bwd")) {
        backward += r.msPerStep();
      }
      total += r.msPerStep();
      atRoof += roofMs;
    }
    out.append(String.format(Locale.ROOT, "%-23s %8.4f%n%-23s %8.4f%n", "forward (sum)", forward,
        "backward (sum)", backward));
    out.append(String.format(Locale.ROOT, "%-23s %8.4f %92s %8.4f%n", "all phases (sum)", total, "", atRoof));
    return out.toString();
  }

  private static String number(double x, int decimals) {
    return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", x);
  }

  private static String percent(double fraction) {
    return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
  }

  /**
   * Bytes one RMSProp update of {@code game}'s view moves ({@code SharedModel.update}): the clip's
   * pass reads the gradient; then per vector of the engine's species, a zero gradient reads it
   * and the mean squares and writes the mean squares, any other reads the gradient, the mean
   * squares and the parameters and writes the last two; a block's tail floats count as vectors.
   */
  public static long rmsPropBytes(ParameterLayout layout, String game, float[] grad) {
    long bytes = 4L * grad.length;
    int at = 0;
    for (ParameterLayout.Block b : layout.view(game)) {
      for (int j = 0; j < b.size(); j += L) {
        boolean zero = true;
        int n = Math.min(L, b.size() - j);
        for (int k = 0; k < n; k++) {
          zero &= grad[at + j + k] == 0f;
        }
        bytes += (zero ? 12L : 20L) * n;
      }
      at += b.size();
    }
    return bytes;
  }
}
