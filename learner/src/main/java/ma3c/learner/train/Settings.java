package ma3c.learner.train;

import java.util.List;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.allocation.AllocationPolicy;
import ma3c.learner.run.RunConfig;

/**
 * Every training setting that is a value with a range: the hyperparameters of A3C (their defaults,
 * and why, are documented where the algorithm reads them: {@link A3CConfig}, {@link RunConfig}),
 * the budget, the env's protocol and the reporting periods. The options that shape a run rather
 * than tune it (--games, --arch, --lstm, --env, --init-from, ...) are {@link TrainOptions}' own.
 */
public final class Settings {
  private Settings() {}

  private static final String EQUAL = RunConfig.AllocationMode.EQUAL.id();
  private static final String ADAPTIVE = RunConfig.AllocationMode.ADAPTIVE.id();

  public static final Setting<Integer> THREADS = new Setting<>("--threads", Integer.class, null,
      RunConfig.DEFAULT_THREADS_PER_GAME + " per game", v -> v >= 1 && v <= RunConfig.MAX_THREADS,
      "in 1.." + RunConfig.MAX_THREADS, "Actor-learner threads (the paper's: 8 per game).", false,
      RunConfig::threads);
  public static final Setting<Long> FRAMES = Setting.of("--frames", Long.class,
      A3CConfig.DEFAULT_FRAME_BUDGET, v -> v >= 1 && v <= A3CConfig.MAX_FRAMES,
      "in 1.." + A3CConfig.MAX_FRAMES, "Frame budget over all threads (frame skip included);"
          + " a resume may raise it.", true, c -> c.a3c().budget().frames());
  public static final Setting<Long> FRAMES_PER_GAME = new Setting<>("--frames-per-game", Long.class,
      null, "none", v -> v >= 1 && v <= A3CConfig.MAX_FRAMES, "in 1.." + A3CConfig.MAX_FRAMES,
      "Budget per game instead: each game's threads stop at this many frames of their game (the"
          + " total is this times the games), so multi-task runs compare at equal frames per game;"
          + " a resume may raise it.", true,
      c -> c.a3c().budget().framesPerGame() == 0 ? null : c.a3c().budget().framesPerGame());
  public static final Setting<Long> SEED = Setting.of("--seed", Long.class, 1L, v -> true, "",
      "Run seed.", false, RunConfig::seed);
  public static final Setting<Double> GAMMA = Setting.of("--gamma", Double.class,
      A3CConfig.DEFAULT_GAMMA, v -> v > 0 && v <= 1, "in (0, 1]", "Discount.", false,
      c -> c.a3c().rollout().gamma());
  public static final Setting<Integer> T_MAX = new Setting<>("--t-max", Integer.class, null,
      A3CConfig.DEFAULT_T_MAX_FF + " FF, " + A3CConfig.DEFAULT_T_MAX_LSTM + " LSTM",
      v -> v >= 1 && v <= 1000, "in 1..1000", "Rollout length.", false,
      c -> c.a3c().rollout().tMax());
  public static final Setting<Double> BETA = Setting.of("--beta", Double.class,
      A3CConfig.DEFAULT_ENTROPY_BETA, v -> v >= 0 && Double.isFinite(v), "finite and >= 0",
      "Entropy weight.", false, c -> c.a3c().loss().entropyBeta());
  public static final Setting<Double> VALUE_COEF = Setting.of("--value-coef", Double.class,
      A3CConfig.DEFAULT_VALUE_COEF, v -> v > 0 && Double.isFinite(v), "finite and > 0",
      "Value-loss weight.", false, c -> c.a3c().loss().valueCoef());
  public static final Setting<Double> LR = Setting.of("--lr", Double.class,
      A3CConfig.DEFAULT_LEARNING_RATE, v -> v > 0 && v < 1, "in (0, 1)",
      "RMSProp learning rate, annealed linearly to 0 over the budget.", false,
      c -> c.a3c().rmsProp().learningRate());
  public static final Setting<Double> RMS_ALPHA = Setting.of("--rms-alpha", Double.class,
      A3CConfig.DEFAULT_RMS_ALPHA, v -> v >= 0 && v < 1, "in [0, 1)", "RMSProp decay.", false,
      c -> c.a3c().rmsProp().alpha());
  public static final Setting<Double> RMS_EPS = Setting.of("--rms-eps", Double.class,
      A3CConfig.DEFAULT_RMS_EPSILON, v -> v > 0 && v <= 1, "in (0, 1]",
      "RMSProp epsilon (inside the square root).", false, c -> c.a3c().rmsProp().epsilon());
  public static final Setting<Double> RMS_INIT = Setting.of("--rms-init", Double.class,
      A3CConfig.DEFAULT_RMS_INIT, v -> v >= 0 && Double.isFinite(v), "finite and >= 0",
      "Initial RMSProp mean square.", false, c -> c.a3c().rmsProp().init());
  public static final Setting<Double> CLIP_NORM = Setting.of("--clip-norm", Double.class,
      A3CConfig.DEFAULT_GRAD_CLIP_NORM, v -> v > 0 && Double.isFinite(v), "finite and > 0",
      "Global gradient-norm clip.", false, c -> c.a3c().loss().gradClipNorm());
  public static final Setting<Double> REWARD_CLIP = Setting.of("--reward-clip", Double.class,
      A3CConfig.DEFAULT_REWARD_CLIP, v -> v > 0 && !Double.isNaN(v), "> 0 (Infinity: no clip)",
      "Training rewards clipped to [-x, x].", false, c -> c.a3c().rollout().rewardClip());
  public static final Setting<Float> STICKY = Setting.of("--sticky", Float.class,
      RunConfig.DEFAULT_STICKY_ACTIONS, v -> v >= 0 && v <= 1, "in [0, 1]",
      "Sticky-action probability.", false, c -> c.env().stickyActions());
  public static final Setting<Integer> NOOP_MAX = Setting.of("--noop-max", Integer.class,
      RunConfig.DEFAULT_NOOP_MAX, v -> v >= 0 && v <= 10_000, "in 0..10000",
      "Random no-op starts.", false, c -> c.env().noopMax());
  public static final Setting<Boolean> LIFE_LOSS = Setting.flag("--life-loss",
      "Train on life-loss episodes (scores still count whole games).",
      c -> c.env().terminalOnLifeLoss());
  public static final Setting<String> ALLOCATION = Setting.of("--allocation", String.class,
      EQUAL, v -> EQUAL.equals(v) || ADAPTIVE.equals(v), EQUAL + " or " + ADAPTIVE,
      EQUAL + ": each game keeps its thread group (the paper's). " + ADAPTIVE + ": every --allocation-every"
          + " frames one thread moves to the game whose score improves fastest, within half to"
          + " 1.5x its threads; a game at its budget gives its threads away.", false,
      c -> c.adaptiveAllocation() ? ADAPTIVE : EQUAL);
  public static final Setting<Long> ALLOCATION_EVERY = Setting.of("--allocation-every", Long.class,
      AllocationPolicy.DECISION_FRAMES, v -> v >= 1, "at least 1",
      "Frames (all games) between adaptive allocation decisions.", false,
      // Runs from before allocation existed decided nothing: the default is as good as theirs.
      c -> c.allocation() == null ? AllocationPolicy.DECISION_FRAMES : c.allocation().everyFrames());
  public static final Setting<Integer> CHECKPOINT_EVERY = Setting.of("--checkpoint-every",
      Integer.class, 300, v -> v >= 1, "at least 1", "Seconds between checkpoints.", true,
      c -> c.reporting().checkpointSeconds());
  public static final Setting<Integer> PROGRESS_EVERY = Setting.of("--progress-every",
      Integer.class, 10, v -> v >= 1, "at least 1", "Seconds between progress lines.", true,
      c -> c.reporting().progressSeconds());

  /** In the order --help and the README list them. */
  public static final List<Setting<?>> ALL = List.of(THREADS, FRAMES, FRAMES_PER_GAME, SEED,
      GAMMA, T_MAX, BETA, VALUE_COEF, LR, RMS_ALPHA, RMS_EPS, RMS_INIT, CLIP_NORM, REWARD_CLIP,
      STICKY, NOOP_MAX, LIFE_LOSS, ALLOCATION, ALLOCATION_EVERY, CHECKPOINT_EVERY, PROGRESS_EVERY);
}
