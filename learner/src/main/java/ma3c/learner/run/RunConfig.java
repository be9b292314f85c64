package ma3c.learner.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import ma3c.cli.security.ClientSecurity;
import ma3c.env.v1.EnvConfig;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.algo.Freeze;
import ma3c.model.Architecture;

/**
 * Everything that defines a training run; saved as config.json in the run directory and inside
 * every checkpoint, so that --resume continues exactly the same run.
 *
 * @param threadsPerGame actor-learner threads of each game, in game order
 * @param transfer where a fine-tuning run started from; null for a run from scratch (and in
 *     checkpoints written before transfer existed)
 * @param allocation how threads are shared between games; null (runs before it existed): equal
 * @param teachers a distillation run's per-game teacher policies (ONNX files, or directories
 *     holding {@code <game>.onnx}); null or empty: A3C's own loss
 */
public record RunConfig(Net net, LinkedHashMap<String, Integer> threadsPerGame, A3CConfig a3c,
    Env env, long seed, Reporting reporting, Transfer transfer, Allocation allocation,
    List<String> teachers) {

  /** How threads are shared between games. */
  public enum AllocationMode {
    /** The paper's: each game keeps its thread group. */
    EQUAL,
    /** Threads move between games ({@link ma3c.learner.allocation.AllocationPolicy}). */
    ADAPTIVE;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static AllocationMode of(String id) {
      for (AllocationMode m : values()) {
        if (m.id().equalsIgnoreCase(id)) {
          return m;
        }
      }
      throw new IllegalArgumentException("unknown thread allocation '" + id + "': use equal or adaptive");
    }
  }

  /**
   * Thread allocation between games.
   *
   * @param everyFrames frames (all games) between adaptive decisions
   */
  public record Allocation(AllocationMode mode, long everyFrames) {}

  /**
   * The network.
   *
   * @param architecture A3C, MA3C-1 or MA3C-2 (written as its id: a3c, ma3c-1, ma3c-2)
   * @param lstm the paper's LSTM net, else the feed-forward one
   */
  public record Net(Architecture architecture, boolean lstm) {}

  /**
   * Where the games run and how they are played.
   *
   * @param endpoints host:port of env services; empty for the embedded in-process service
   * @param romDir the ROMs of the embedded service (and of export's action sets)
   * @param stickyActions the env's repeat_action_probability
   * @param noopMax the env's no-op starts
   * @param terminalOnLifeLoss train on life-loss episodes (scores still count whole games)
   * @param security TLS and token for the endpoints; null (runs before it existed): none
   */
  public record Env(List<String> endpoints, String romDir, float stickyActions, int noopMax,
      boolean terminalOnLifeLoss, ClientSecurity security) {
    /** Plaintext endpoints without a token. */
    public Env(List<String> endpoints, String romDir, float stickyActions, int noopMax,
        boolean terminalOnLifeLoss) {
      this(endpoints, romDir, stickyActions, noopMax, terminalOnLifeLoss, null);
    }

    public ClientSecurity clientSecurity() {
      return security == null ? ClientSecurity.NONE : security;
    }
  }

  /** How often the run saves a checkpoint and reports progress. */
  public record Reporting(int checkpointSeconds, int progressSeconds) {}

  /**
   * A run that started from another run's parameters.
   *
   * @param from the source run's checkpoint file (absolute)
   * @param freeze the blocks this run never updates
   */
  public record Transfer(String from, Freeze freeze) {}

  /** The A3C paper's protocol: no sticky actions, up to 30 random no-ops at the start. */
  public static final float DEFAULT_STICKY_ACTIONS = 0;
  public static final int DEFAULT_NOOP_MAX = 30;
  /**
   * The paper's: A3C with 8 actor-learner threads on one game, MA3C with 8 per game. More threads
   * than cores: on 2 cores, 8 threads took Pong to +18 (last 20 games) in 34 minutes where 2
   * threads reached +2.1 in 60 (and, in another run, +13.6 in 26) (BENCHMARKS.md).
   */
  public static final int DEFAULT_THREADS_PER_GAME = 8;
  /** The most actor-learner threads of a run, over all games. */
  public static final int MAX_THREADS = 1024;

  /** This run continued with what a resume may change: the budget, where the games run, reporting. */
  public RunConfig resumedWith(A3CConfig.Budget budget, List<String> endpoints, String romDir,
      ClientSecurity security, Reporting newReporting) {
    return new RunConfig(net, threadsPerGame, a3c.withBudget(budget),
        new Env(endpoints, romDir, env.stickyActions(), env.noopMax(), env.terminalOnLifeLoss(),
            security),
        seed, newReporting, transfer, allocation, teachers);
  }

  /** The blocks this run keeps fixed: none unless it is a transfer run that froze some. */
  public Freeze freeze() {
    return transfer == null ? Freeze.NONE : transfer.freeze();
  }

  /** Whether the student learns from teachers (distillation) instead of A3C's loss. */
  public boolean distillation() {
    return teachers != null && !teachers.isEmpty();
  }

  /** Whether threads move between games during the run. */
  public boolean adaptiveAllocation() {
    return allocation != null && allocation.mode() == AllocationMode.ADAPTIVE;
  }

  public Architecture arch() {
    return net.architecture();
  }

  public int threads() {
    return threadsPerGame.values().stream().mapToInt(Integer::intValue).sum();
  }

  public List<String> games() {
    return List.copyOf(threadsPerGame.keySet());
  }

  /** What an actor thread asks the env service for (the rest are the contract's defaults). */
  public EnvConfig envRequest(long envSeed) {
    return EnvConfig.newBuilder()
        .setRepeatActionProbability(env.stickyActions())
        .setNoopMax(env.noopMax())
        .setTerminalOnLifeLoss(env.terminalOnLifeLoss())
        .setSeed(envSeed)
        .build();
  }
}
