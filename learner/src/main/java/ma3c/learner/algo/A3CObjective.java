package ma3c.learner.algo;

import ma3c.env.v1.EpisodeState;
import ma3c.env.v1.StepResponse;
import ma3c.model.A3CNet;

/**
 * A3C's actor-critic loss (Algorithm S3): n-step returns R from the rollout's clipped rewards,
 * bootstrapped from V(s_t) unless s_t is terminal; the policy gradient with advantage R - V(s_i),
 * the value loss (R - V(s_i))^2 and the entropy bonus, summed over the rollout's steps.
 */
public final class A3CObjective implements Objective {
  private final A3CConfig config;
  private final GamePlayer player;
  private final A3CNet local;

  // The rollout: a_i, r_i, V(s_i) for i = t_start .. t-1 (the net keeps s_i's activations).
  private final int[] actions;
  private final double[] rewards;
  private final double[] values;
  private final double[] returns;
  private final double[] advantages;
  private boolean terminal;
  private double bootstrap;

  public A3CObjective(A3CConfig config, GamePlayer player, A3CNet local) {
    this.config = config;
    this.player = player;
    this.local = local;
    int tMax = config.rollout().tMax();
    this.actions = new int[tMax];
    this.rewards = new double[tMax];
    this.values = new double[tMax];
    this.returns = new double[tMax];
    this.advantages = new double[tMax];
  }

  @Override
  public void stepped(int t, int action, A3CNet.Output out, StepResponse step) {
    actions[t] = action;
    double clip = config.rollout().rewardClip();
    rewards[t] = Math.max(-clip, Math.min(clip, step.getReward()));
    values[t] = out.value();
    terminal = step.getState() == EpisodeState.TERMINATED;
  }

  @Override
  public void rolloutEnded() {
    // R = 0 for terminal s_t, V(s_t; theta', phi'_v) otherwise (a truncated episode bootstraps).
    bootstrap = terminal ? 0 : local.value(player.observation());
  }

  @Override
  public RolloutLoss gradient(int steps, float[] gradient) {
    // For i = t-1 .. t_start: R = r_i + gamma R; the gradients of all steps are summed by the loss.
    NStepReturns.compute(steps, rewards, values, bootstrap, config.rollout().gamma(), returns,
        advantages);
    A3CNet.Losses loss = local.backward(steps, actions, returns, advantages,
        config.loss().valueCoef(), config.loss().entropyBeta(), gradient);
    return new RolloutLoss(loss.policy(), loss.value(), loss.entropy());
  }
}
