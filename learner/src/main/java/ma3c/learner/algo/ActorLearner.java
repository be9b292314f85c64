package ma3c.learner.algo;

import java.util.SplittableRandom;
import ma3c.env.v1.EpisodeState;
import ma3c.env.v1.StepResponse;
import ma3c.learner.algo.PhaseTimes.Phase;
import ma3c.learner.env.EpisodeInterrupted;
import ma3c.learner.env.ResilientEnv;
import ma3c.learner.run.EpisodeStats;
import ma3c.learner.run.LossMeter;
import ma3c.model.A3CNet;
import ma3c.model.ActionSampling;

/**
 * One actor-learner thread of game k: Algorithm 1 of Wang & Yang (A3C's Algorithm S3 with the
 * parameters split into the shared theta and the game's own phi_k). It acts on its local copy of
 * the parameters with the engine's batch-1 forward, which keeps each step's activations, and
 * back-propagates the rollout's loss through them.
 */
public final class ActorLearner implements Runnable {
  private final String game;
  private final A3CConfig config;
  private final SharedModel shared;
  private final GamePlayer player;
  private final A3CNet local;
  private final TrainingCounters counters;
  private final LossMeter losses;
  private final TrunkProbe probe;
  private final ThreadAllocation allocation;
  private final int slot;
  private final SplittableRandom random;

  // The rollout: a_i, r_i, V(s_i) for i = t_start .. t-1 (the net keeps s_i's activations).
  private final int[] actions;
  private final double[] rewards;
  private final double[] values;
  private final double[] returns;
  private final double[] advantages;
  private final float[] gradient;
  private long lapStart = System.nanoTime();

  public ActorLearner(int thread, String game, A3CConfig config, SharedModel shared,
      ResilientEnv env, A3CNet local, TrainingCounters counters,
      EpisodeStats episodes, LossMeter losses, TrunkProbe probe, ThreadAllocation allocation,
      int slot, long seed) {
    this.game = game;
    this.config = config;
    this.shared = shared;
    this.local = local;
    this.counters = counters;
    this.losses = losses;
    this.probe = probe;
    this.allocation = allocation;
    this.slot = slot;
    this.random = new SplittableRandom(seed);
    this.player = new GamePlayer(env, thread, shared.layout().spec().frames(), counters, episodes);
    int tMax = config.rollout().tMax();
    this.actions = new int[tMax];
    this.rewards = new double[tMax];
    this.values = new double[tMax];
    this.returns = new double[tMax];
    this.advantages = new double[tMax];
    this.gradient = new float[shared.viewSize(game)];
  }

  @Override
  public void run() {
    try {
      train();
    } catch (ResilientEnv.Stopped stopped) {
      // The run stopped while the env service was unreachable: nothing left to do here.
    }
  }

  private void train() {
    startEpisode();
    // Runs while the game's allocation includes this thread's slot (always, with equal allocation).
    while (allocation.awaitTurn(game, slot,
        () -> counters.stopped() || config.budgetReached(counters, game))
        && !counters.stopped() && !config.budgetReached(counters, game)) {
      // Synchronize thread-specific parameters: theta' = theta, phi'_k = phi_k.
      shared.copyTo(local);
      lap(Phase.SYNC);
      // t_start = t (the net keeps the LSTM state the rollout starts from).
      local.beginRollout();
      int t = 0;
      boolean terminal = false;
      boolean episodeOver = false;
      try {
        // Perform a_t according to pi(a_t | s_t; theta', phi'_k) until terminal or t_max steps.
        while (t < config.rollout().tMax() && !episodeOver) {
          byte[] s = player.observation();
          probe.offer(game, s);
          A3CNet.Output out = local.act(s);
          int a = ActionSampling.sample(out.probs(), random);
          lap(Phase.ACT);
          StepResponse step = player.step(a);
          actions[t] = a;
          double clip = config.rollout().rewardClip();
          rewards[t] = Math.max(-clip, Math.min(clip, step.getReward()));
          values[t] = out.value();
          t++;
          if (step.getState() != EpisodeState.RUNNING) {
            terminal = step.getState() == EpisodeState.TERMINATED;
            episodeOver = true;
          }
          lap(Phase.ENV);
        }
      } catch (EpisodeInterrupted lost) {
        // The env service went away mid-rollout: drop the rollout, start a fresh episode.
        startEpisode();
        continue;
      }
      // R = 0 for terminal s_t, V(s_t; theta', phi'_v) otherwise (a truncated episode bootstraps).
      double bootstrap = terminal ? 0 : local.value(player.observation());
      lap(Phase.ACT);
      // For i = t-1 .. t_start: R = r_i + gamma R; the gradients of all steps are summed by the loss.
      NStepReturns.compute(t, rewards, values, bootstrap, config.rollout().gamma(), returns,
          advantages);
      A3CNet.Losses loss = local.backward(t, actions, returns, advantages,
          config.loss().valueCoef(), config.loss().entropyBeta(), gradient);
      lap(Phase.GRADIENT);
      // Asynchronous update of theta and phi_k with the accumulated (clipped) gradients.
      SharedModel.Clip clip = shared.update(game, gradient, config, counters.frames());
      lap(Phase.APPLY);
      counters.countUpdate();
      losses.add(game, t, loss.policy(), loss.value(), loss.entropy(), clip.norm(), clip.clipped(),
          clip.blockNorms());
      if (episodeOver) {
        startEpisode();
      }
    }
  }

  private void startEpisode() {
    player.reset();
    local.resetState();
    lap(Phase.ENV);
  }

  /** Charges the time since the previous lap to {@code phase}. */
  private void lap(Phase phase) {
    long now = System.nanoTime();
    counters.phases().add(phase, now - lapStart);
    lapStart = now;
  }
}
