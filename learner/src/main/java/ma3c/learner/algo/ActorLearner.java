package ma3c.learner.algo;

import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import ma3c.env.v1.EpisodeState;
import ma3c.env.v1.StepResponse;
import ma3c.learner.env.EpisodeInterrupted;
import ma3c.learner.env.ResilientEnv;
import ma3c.model.A3CNet;
import ma3c.model.ActionSampling;

/**
 * One actor-learner thread of game k: Algorithm 1 of Wang & Yang (A3C's Algorithm S3 with the
 * parameters split into the shared theta and the game's own phi_k), learning what its
 * {@link Objective} asks (A3C's loss, or distillation's). It acts on its local copy of the
 * parameters with the engine's batch-1 forward, which keeps each step's activations, and
 * back-propagates the rollout's loss through them.
 */
public final class ActorLearner implements Runnable {
  /** What every thread of a run shares: the hyperparameters, theta and the phi_k, the counters. */
  public record Shared(A3CConfig config, SharedModel model, TrainingCounters counters) {}

  private final String game;
  private final A3CConfig config;
  private final SharedModel shared;
  private final TrainingCounters counters;
  private final GamePlayer player;
  private final A3CNet local;
  private final SplittableRandom random;
  private final Objective objective;
  private final Turns turns;
  private final LearnerEvents events;
  private final BooleanSupplier done;
  private final float[] gradient;

  /**
   * @param random draws a_t; an objective that draws too (a teacher's action) shares it
   * @param turns when the thread may run its next rollout
   */
  public ActorLearner(Shared run, GamePlayer player, A3CNet local, SplittableRandom random,
      Objective objective, Turns turns, LearnerEvents events) {
    this.game = player.game();
    this.config = run.config();
    this.shared = run.model();
    this.counters = run.counters();
    this.player = player;
    this.local = local;
    this.random = random;
    this.objective = objective;
    this.turns = turns;
    this.events = events;
    this.done = () -> counters.stopped() || config.budgetReached(counters, game);
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
    // Until the game's budget is met; a thread outside the game's allocation waits its turn.
    while (turns.await(done) && !done.getAsBoolean()) {
      // Synchronize thread-specific parameters: theta' = theta, phi'_k = phi_k.
      synchronize();
      // t_start = t (the net keeps the LSTM state the rollout starts from).
      local.beginRollout();
      int t = 0;
      boolean episodeOver = false;
      try {
        // Perform a_t according to pi(a_t | s_t; theta', phi'_k) until terminal or t_max steps.
        while (t < config.rollout().tMax() && !episodeOver) {
          episodeOver = play(t++) != EpisodeState.RUNNING;
        }
      } catch (EpisodeInterrupted lost) {
        // The env service went away mid-rollout: drop the rollout, start a fresh episode.
        startEpisode();
        continue;
      }
      // Accumulate the gradients of the objective's loss over the rollout w.r.t. theta', phi'_k.
      RolloutLoss loss = accumulateGradients(t);
      // Asynchronous update of theta and phi_k with the accumulated (clipped) gradients.
      update(t, loss);
      if (episodeOver) {
        startEpisode();
      }
    }
  }

  private void synchronize() {
    shared.copyTo(local);
    events.phaseEnded(Phase.SYNC);
  }

  /** Step t: a_t ~ pi(. | s_t), played; r_t and s_t+1 from the env. */
  private EpisodeState play(int t) throws EpisodeInterrupted {
    byte[] s = player.observation();
    events.observed(game, s);
    A3CNet.Output out = local.act(s);
    objective.acting(t, out);
    int a = ActionSampling.sample(out.probs(), random);
    events.phaseEnded(Phase.ACT);
    StepResponse step = player.step(a);
    objective.stepped(t, a, out, step);
    events.phaseEnded(Phase.ENV);
    return step.getState();
  }

  private RolloutLoss accumulateGradients(int steps) {
    objective.rolloutEnded();
    events.phaseEnded(Phase.ACT);
    RolloutLoss loss = objective.gradient(steps, gradient);
    events.phaseEnded(Phase.GRADIENT);
    return loss;
  }

  private void update(int steps, RolloutLoss loss) {
    SharedModel.Clip clip = shared.update(game, gradient, config, counters.frames());
    events.phaseEnded(Phase.APPLY);
    counters.countUpdate();
    events.updated(game, steps, loss, clip);
  }

  private void startEpisode() {
    player.reset();
    local.resetState();
    objective.episodeStarted();
    events.phaseEnded(Phase.ENV);
  }
}
