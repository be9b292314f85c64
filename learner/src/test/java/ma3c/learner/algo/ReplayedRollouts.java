package ma3c.learner.algo;

import java.util.ArrayList;
import java.util.List;
import ma3c.env.v1.EpisodeState;
import ma3c.learner.algo.ScriptedEnvService.Step;
import ma3c.model.A3CNet;
import ma3c.model.Batch;
import ma3c.model.FrameStack;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;

/**
 * What one actor-learner thread should compute from scripted episodes at fixed parameters,
 * recomputed step by step after Algorithm S3 of the A3C paper: every episode from a zero LSTM
 * state; rollouts of up to t_max steps, each carrying the LSTM state on from the one before; a
 * return of 0 after a terminal step and V(s_t) after any other last step (a truncated episode
 * included); rewards clipped; and each rollout's gradient replayed through
 * {@link A3CNet#gradients}, the engine's reference-checked path.
 */
final class ReplayedRollouts {
  /** One rollout's loss terms and gradient, and V of the state it bootstrapped from (0: none). */
  record Rollout(int steps, A3CNet.Losses losses, float[] gradient, double bootstrap) {}

  private final List<Rollout> rollouts = new ArrayList<>();
  private final float[] h = new float[NetSpec.HIDDEN];
  private final float[] c = new float[NetSpec.HIDDEN];

  /**
   * @param played the episodes as the learner played them (the script cut where it stopped)
   * @param actions the actions the learner took in each episode
   */
  ReplayedRollouts(ParameterLayout layout, float[] theta, A3CConfig config, List<List<Step>> played,
      List<List<Integer>> actions) {
    int tMax = config.rollout().tMax();
    A3CNet net = new A3CNet(layout, ScriptedEnvService.GAME, tMax);
    net.loadFrom(theta);
    for (int e = 0; e < played.size(); e++) {
      List<Step> episode = played.get(e);
      byte[][] observations = observations(layout.spec().frames(), e, episode.size());
      net.resetState();
      for (int start = 0; start < episode.size(); start += tMax) {
        int n = Math.min(tMax, episode.size() - start);
        rollouts.add(rollout(net, config, episode.subList(start, start + n),
            java.util.Arrays.copyOfRange(observations, start, start + n + 1),
            actions.get(e).subList(start, start + n)));
      }
    }
    net.state(h, c);
  }

  /** The stacked observations s_0 .. s_n of an episode's first n steps. */
  private static byte[][] observations(int frames, int episode, int steps) {
    FrameStack stack = new FrameStack(frames, ScriptedEnvService.FRAME_BYTES);
    byte[][] out = new byte[steps + 1][];
    stack.reset(ScriptedEnvService.frame(episode, 0));
    out[0] = stack.observation();
    for (int t = 1; t <= steps; t++) {
      stack.push(ScriptedEnvService.frame(episode, t));
      out[t] = stack.observation();
    }
    return out;
  }

  /** One rollout from the net's current LSTM state, which it leaves at the rollout's end state. */
  private static Rollout rollout(A3CNet net, A3CConfig config, List<Step> steps, byte[][] states,
      List<Integer> taken) {
    int n = steps.size();
    float[] h0 = new float[NetSpec.HIDDEN];
    float[] c0 = new float[NetSpec.HIDDEN];
    net.state(h0, c0);
    double[] values = new double[n];
    net.beginRollout();
    for (int i = 0; i < n; i++) {
      values[i] = net.act(states[i]).value();
    }
    boolean terminal = steps.get(n - 1).state() == EpisodeState.TERMINATED;
    double bootstrap = terminal ? 0 : net.value(states[n]);
    double[] returns = new double[n];
    double[] advantages = new double[n];
    double clip = config.rollout().rewardClip();
    double r = bootstrap;
    for (int i = n - 1; i >= 0; i--) {
      r = Math.max(-clip, Math.min(clip, steps.get(i).reward())) + config.rollout().gamma() * r;
      returns[i] = r;
      advantages[i] = r - values[i];
    }
    float[] gradient = new float[net.size()];
    A3CNet.Losses losses = net.gradients(new Batch(n, java.util.Arrays.copyOf(states, n),
        taken.stream().mapToInt(Integer::intValue).toArray(), returns, advantages,
        toDouble(h0), toDouble(c0)), gradient, config.loss().valueCoef(), config.loss().entropyBeta());
    return new Rollout(n, losses, gradient, bootstrap);
  }

  private static double[] toDouble(float[] x) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i];
    }
    return out;
  }

  List<Rollout> rollouts() {
    return rollouts;
  }

  /** The LSTM state after the last rollout. */
  float[] h() {
    return h;
  }

  float[] c() {
    return c;
  }

  /** Per-step mean of the value loss over every rollout (what LossMeter reports). */
  double meanValueLoss() {
    return rollouts.stream().mapToDouble(r -> r.losses().value()).sum() / steps();
  }

  double meanPolicyLoss() {
    return rollouts.stream().mapToDouble(r -> r.losses().policy()).sum() / steps();
  }

  /** Mean over rollouts of the gradient's L2 norm. */
  double meanGradientNorm() {
    return rollouts.stream().mapToDouble(r -> norm(r.gradient())).average().orElseThrow();
  }

  private int steps() {
    return rollouts.stream().mapToInt(Rollout::steps).sum();
  }

  private static double norm(float[] x) {
    double s = 0;
    for (float v : x) {
      s += (double) v * v;
    }
    return Math.sqrt(s);
  }
}
