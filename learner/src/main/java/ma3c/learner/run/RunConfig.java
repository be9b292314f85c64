package ma3c.learner.run;

import java.util.LinkedHashMap;
import java.util.List;
import ma3c.env.v1.EnvConfig;
import ma3c.learner.algo.A3CConfig;
import ma3c.model.Architecture;

/**
 * Everything that defines a training run; saved as config.json in the run directory and inside
 * every checkpoint, so that --resume continues exactly the same run.
 *
 * @param threadsPerGame actor-learner threads of each game, in game order
 * @param envEndpoints host:port of env services; empty for the embedded in-process service
 * @param stickyActions the env's repeat_action_probability
 * @param noopMax the env's no-op starts
 * @param terminalOnLifeLoss train on life-loss episodes (scores still count whole games)
 */
public record RunConfig(String architecture, boolean lstm, LinkedHashMap<String, Integer> threadsPerGame,
    A3CConfig a3c, List<String> envEndpoints, String romDir, float stickyActions, int noopMax,
    boolean terminalOnLifeLoss, long seed, int checkpointSeconds, int progressSeconds) {

  /** The A3C paper's protocol: no sticky actions, up to 30 random no-ops at the start. */
  public static final float DEFAULT_STICKY_ACTIONS = 0;
  public static final int DEFAULT_NOOP_MAX = 30;
  /**
   * The paper's: A3C with 8 actor-learner threads on one game, MA3C with 8 per game. More threads
   * than cores: on 2 cores, 8 threads took Pong to +18 (last 20 games) in 34 minutes where 2
   * threads reached +2.1 in 60 (and, in another run, +13.6 in 26) (BENCHMARKS.md).
   */
  public static final int DEFAULT_THREADS_PER_GAME = 8;

  /** This run continued with what a resume may change. */
  public RunConfig resumedWith(long frameBudget, long framesPerGame, List<String> endpoints,
      String roms, int checkpointEvery, int progressEvery) {
    return new RunConfig(architecture, lstm, threadsPerGame, a3c.withBudgets(frameBudget, framesPerGame),
        endpoints, roms, stickyActions, noopMax, terminalOnLifeLoss, seed, checkpointEvery,
        progressEvery);
  }

  public Architecture arch() {
    return Architecture.of(architecture);
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
        .setRepeatActionProbability(stickyActions)
        .setNoopMax(noopMax)
        .setTerminalOnLifeLoss(terminalOnLifeLoss)
        .setSeed(envSeed)
        .build();
  }
}
