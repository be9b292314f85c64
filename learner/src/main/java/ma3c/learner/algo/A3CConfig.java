package ma3c.learner.algo;

/**
 * Hyperparameters, named as in the A3C paper (Mnih et al. 2016), grouped by what they govern. The
 * DEFAULT_ constants are the one source of the defaults (the CLI shows and uses them); the README
 * says which are the paper's and why the others differ.
 */
public record A3CConfig(Rollout rollout, Loss loss, RmsProp rmsProp, Budget budget) {

  /**
   * What an actor-learner collects before an update.
   *
   * @param tMax steps per rollout
   * @param gamma discount factor of the n-step returns
   * @param rewardClip training rewards are clipped to [-rewardClip, rewardClip]
   */
  public record Rollout(int tMax, double gamma, double rewardClip) {}

  /**
   * The actor-critic loss and its gradient.
   *
   * @param entropyBeta weight of the entropy bonus
   * @param valueCoef weight of the value loss sum_t (R_t - V(s_t))^2
   * @param gradClipNorm global gradient norm clip
   */
  public record Loss(double entropyBeta, double valueCoef, double gradClipNorm) {}

  /**
   * The shared RMSProp of the paper (one squared-gradient average shared by all threads).
   *
   * @param learningRate step size at the start, annealed linearly to 0 over the total budget
   * @param alpha decay of the squared-gradient average
   * @param epsilon inside the square root
   * @param init the value the squared-gradient average starts at
   */
  public record RmsProp(double learningRate, double alpha, double epsilon, double init) {}

  /**
   * How long the run trains.
   *
   * @param frames emulator frames over all threads (the paper's "frames")
   * @param framesPerGame a game's threads stop once that game has this many frames, so multi-task
   *     runs compare at equal frames per game; 0 for none (only the total)
   */
  public record Budget(long frames, long framesPerGame) {}

  /** The paper's. */
  public static final double DEFAULT_GAMMA = 0.99;
  /**
   * 5 is the paper's (for its Atari nets). 20 for the LSTM net follows universe-starter-agent and
   * pytorch-a3c: longer back-propagation through time, at the FF net's frames/s here (BENCHMARKS.md).
   */
  public static final int DEFAULT_T_MAX_FF = 5;
  public static final int DEFAULT_T_MAX_LSTM = 20;
  /** The paper's. */
  public static final double DEFAULT_ENTROPY_BETA = 0.01;
  /** OpenAI baselines' (the paper gives none). */
  public static final double DEFAULT_VALUE_COEF = 0.5;
  /**
   * Chosen by measurement on Pong (BENCHMARKS.md); the paper samples it per run from
   * LogUniform(1e-4, 1e-2). 1e-4 (pytorch-a3c's) was safe but slow (-13.7 after 60 minutes);
   * with 7e-4, RMSProp's per-weight normalised steps, all in the same direction for the weights
   * into a unit (its inputs are all positive), killed 92% of the fc units within 7M frames and
   * left V flat.
   */
  public static final double DEFAULT_LEARNING_RATE = 3e-4;
  /** The paper's. */
  public static final double DEFAULT_RMS_ALPHA = 0.99;
  /**
   * OpenAI baselines' (this project's earlier default was 0.1, a value A3C reproductions use).
   * With 0.1 inside the square root the step is about lr * grad / 0.32, far too small for 2
   * threads' gradients: Pong did not learn (BENCHMARKS.md).
   */
  public static final double DEFAULT_RMS_EPSILON = 1e-5;
  /**
   * TensorFlow 1's RMSProp starts its average at 1 (so did the A3C implementations built on it);
   * from 0, the first steps move every weight by up to 10x lr and the trunk's units died in the
   * first few dozen updates (issue 11).
   */
  public static final double DEFAULT_RMS_INIT = 1;
  /** As in DeepMind's and most A3C implementations (the paper gives none). */
  public static final double DEFAULT_GRAD_CLIP_NORM = 40;
  /** The paper's. */
  public static final double DEFAULT_REWARD_CLIP = 1;
  /** Sized to about an hour on a 2-core machine (the paper trains for far longer). */
  public static final long DEFAULT_FRAME_BUDGET = 30_000_000;
  /** The largest budget of a run or of one game: years at this machine's 10k frames/s, far from overflow. */
  public static final long MAX_FRAMES = 1_000_000_000_000L;

  public static A3CConfig defaults(boolean lstm, long frameBudget) {
    return new A3CConfig(new Rollout(defaultTMax(lstm), DEFAULT_GAMMA, DEFAULT_REWARD_CLIP),
        new Loss(DEFAULT_ENTROPY_BETA, DEFAULT_VALUE_COEF, DEFAULT_GRAD_CLIP_NORM),
        new RmsProp(DEFAULT_LEARNING_RATE, DEFAULT_RMS_ALPHA, DEFAULT_RMS_EPSILON, DEFAULT_RMS_INIT),
        new Budget(frameBudget, 0));
  }

  public static int defaultTMax(boolean lstm) {
    return lstm ? DEFAULT_T_MAX_LSTM : DEFAULT_T_MAX_FF;
  }

  /** The same hyperparameters with another rollout length. */
  public A3CConfig withTMax(int steps) {
    return new A3CConfig(new Rollout(steps, rollout.gamma(), rollout.rewardClip()), loss, rmsProp,
        budget);
  }

  /** The same hyperparameters with another budget (the learning rate anneals over the total). */
  public A3CConfig withBudget(Budget other) {
    return new A3CConfig(rollout, loss, rmsProp, other);
  }

  /**
   * Whether {@code game}'s threads are done: the game's own budget when there is one (the total,
   * which other games overshoot by a rollout or so, would cut the last game short), else the total.
   */
  public boolean budgetReached(TrainingCounters counters, String game) {
    return budget.framesPerGame() > 0 ? counters.frames(game) >= budget.framesPerGame()
        : counters.frames() >= budget.frames();
  }

  /** The learning rate after {@code frames} frames: linear from learningRate to 0. */
  public double learningRateAt(long frames) {
    return rmsProp.learningRate() * Math.max(0, 1 - (double) frames / budget.frames());
  }
}
