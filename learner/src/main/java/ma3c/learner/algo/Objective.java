package ma3c.learner.algo;

import ma3c.env.v1.StepResponse;
import ma3c.model.A3CNet;

/**
 * What an actor-learner thread learns from its rollouts ({@link ActorLearner} plays them): A3C's
 * actor-critic loss ({@link A3CObjective}), or another one such as policy distillation's. One
 * instance per thread; it keeps what it needs of the rollout under way.
 */
public interface Objective {
  /** A new episode began: the thread's player shows its first frame. */
  default void episodeStarted() {}

  /** Step {@code t} of the rollout: the local net's output on s_t, before a_t is drawn from it. */
  default void acting(int t, A3CNet.Output out) {}

  /** Step {@code t}: a_t was played, the env answered {@code step}. */
  void stepped(int t, int action, A3CNet.Output out, StepResponse step);

  /** The rollout ended at s_t (where A3C's return bootstraps from). */
  default void rolloutEnded() {}

  /**
   * The gradient of the rollout's loss with respect to theta' and phi'_k (the local net's view),
   * into {@code gradient}; returns the loss terms.
   */
  RolloutLoss gradient(int steps, float[] gradient);
}
