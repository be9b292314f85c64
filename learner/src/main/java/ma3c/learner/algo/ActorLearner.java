package ma3c.learner.algo;

import ai.onnxruntime.OrtException;
import java.util.SplittableRandom;
import ma3c.env.v1.ResetResponse;
import ma3c.env.v1.StepResponse;
import ma3c.learner.env.EpisodeInterrupted;
import ma3c.policy.ActionSampling;
import ma3c.policy.FrameStack;
import ma3c.learner.env.ResilientEnv;
import ma3c.learner.net.A3CGraph;
import ma3c.learner.net.Batch;
import ma3c.policy.NetSpec;
import ma3c.learner.net.OnnxActor;
import ma3c.learner.run.EpisodeStats;
import ma3c.learner.run.LossMeter;

/**
 * One actor-learner thread of game k: Algorithm 1 of Wang & Yang (A3C's Algorithm S3 with the
 * parameters split into the shared theta and the game's own phi_k). It acts with ONNX Runtime on
 * its local copy of the parameters and computes gradients with SameDiff on the same copy.
 */
public final class ActorLearner implements Runnable {
  private final int thread;
  private final String game;
  private final A3CConfig config;
  private final SharedModel shared;
  private final ResilientEnv env;
  private final A3CGraph local;
  private final OnnxActor actor;
  private final TrainingCounters counters;
  private final EpisodeStats episodes;
  private final LossMeter losses;
  private final SplittableRandom random;
  private final FrameStack frames;
  private final int frameSkip;
  private final boolean lstm;

  // The rollout: s_i, a_i, r_i, V(s_i) for i = t_start .. t-1.
  private final byte[][] states;
  private final int[] actions;
  private final double[] rewards;
  private final double[] values;
  private final double[] returns;
  private final double[] advantages;
  private final double[] h0 = new double[NetSpec.HIDDEN];
  private final double[] c0 = new double[NetSpec.HIDDEN];
  private final float[] gradient;

  public ActorLearner(int thread, String game, A3CConfig config, SharedModel shared,
      ResilientEnv env, A3CGraph local, OnnxActor actor, TrainingCounters counters,
      EpisodeStats episodes, LossMeter losses, long seed) {
    this.thread = thread;
    this.game = game;
    this.config = config;
    this.shared = shared;
    this.env = env;
    this.local = local;
    this.actor = actor;
    this.counters = counters;
    this.episodes = episodes;
    this.losses = losses;
    this.random = new SplittableRandom(seed);
    NetSpec spec = shared.layout().spec();
    this.lstm = spec.lstm();
    this.frames = new FrameStack(spec.frames(), NetSpec.SIZE * NetSpec.SIZE);
    this.frameSkip = Math.max(1, env.spec().getConfig().getFrameSkip());
    int tMax = config.tMax();
    this.states = new byte[tMax][];
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
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (OrtException e) {
      throw new IllegalStateException("thread " + thread + " (" + game + "): ONNX Runtime failed", e);
    }
  }

  private void train() throws InterruptedException, OrtException {
    startEpisode();
    while (!counters.stopped() && counters.frames() < config.frameBudget()) {
      // Synchronize thread-specific parameters: theta' = theta, phi'_k = phi_k.
      shared.copyTo(local);
      // t_start = t; remember the LSTM state the rollout starts from.
      actor.state(h0, c0);
      int t = 0;
      boolean terminal = false;
      boolean episodeOver = false;
      try {
        // Perform a_t according to pi(a_t | s_t; theta', phi'_k) until terminal or t_max steps.
        while (t < config.tMax()) {
          byte[] s = frames.observation();
          OnnxActor.Output out = actor.step(s);
          int a = ActionSampling.sample(out.probs(), random);
          StepResponse step = env.step(a);
          states[t] = s;
          actions[t] = a;
          rewards[t] = Math.max(-config.rewardClip(), Math.min(config.rewardClip(), step.getReward()));
          values[t] = out.value();
          t++;
          long total = counters.addFrames(frameSkip);
          frames.push(env.pixels(step.getObservation()));
          if (step.getInfo().getGameOver()) {
            episodes.record(game, thread, total, step.getInfo().getEpisodeReturn(),
                step.getInfo().getEpisodeLength());
          }
          if (step.getTerminated() || step.getTruncated()) {
            terminal = step.getTerminated();
            episodeOver = true;
            break;
          }
        }
      } catch (EpisodeInterrupted lost) {
        // The env service went away mid-rollout: drop the rollout, start a fresh episode.
        startEpisode();
        continue;
      }
      // R = 0 for terminal s_t, V(s_t; theta', phi'_v) otherwise (a truncated episode bootstraps).
      double bootstrap = terminal ? 0 : actor.value(frames.observation());
      // For i = t-1 .. t_start: R = r_i + gamma R; the gradients of all steps are summed by the loss.
      NStepReturns.compute(t, rewards, values, bootstrap, config.gamma(), returns, advantages);
      A3CGraph.Losses loss = local.gradients(
          new Batch(t, states, actions, returns, advantages, h0, c0), gradient);
      double norm = SharedModel.clipByNorm(gradient, config.gradClipNorm());
      // Asynchronous update of theta and phi_k with the accumulated gradients.
      shared.apply(game, gradient, config.learningRateAt(counters.frames()), config.rmsAlpha(),
          config.rmsEpsilon());
      counters.countUpdate();
      losses.add(game, t, loss.policy(), loss.value(), loss.entropy(), norm);
      if (episodeOver) {
        startEpisode();
      }
    }
  }

  private void startEpisode() throws InterruptedException {
    ResetResponse reset = env.reset();
    frames.reset(env.pixels(reset.getObservation()));
    actor.resetState();
  }
}
