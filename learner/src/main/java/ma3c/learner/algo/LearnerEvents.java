package ma3c.learner.algo;

/**
 * What an actor-learner thread reports while it trains, for whoever watches (phase timings, trunk
 * probes, loss means); none of it feeds back into the algorithm. One listener per thread.
 */
public interface LearnerEvents {
  /** The thread finished {@code phase}: the time since its previous event was spent in it. */
  default void phaseEnded(Phase phase) {}

  /** The thread is about to act on the stacked frames s_t of {@code game}. */
  default void observed(String game, byte[] observation) {}

  /** The thread applied the gradient of a rollout of {@code steps} steps of {@code game}. */
  default void updated(String game, int steps, RolloutLoss loss, SharedModel.Clip clip) {}
}
