package ma3c.learner.distill;

import ai.onnxruntime.OrtException;
import java.util.SplittableRandom;
import ma3c.env.v1.EpisodeState;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.algo.GamePlayer;
import ma3c.learner.algo.SharedModel;
import ma3c.learner.algo.ThreadAllocation;
import ma3c.learner.algo.TrainingCounters;
import ma3c.learner.env.EpisodeInterrupted;
import ma3c.learner.env.ResilientEnv;
import ma3c.learner.run.LossMeter;
import ma3c.model.A3CNet;
import ma3c.model.ActionSampling;
import ma3c.model.FrameStack;
import ma3c.model.NetSpec;
import ma3c.model.onnx.OnnxPolicy;

/**
 * One student thread of a policy-distillation run (Rusu et al. 2016, the baseline the paper asks
 * for): it plays game k with its own policy, asks game k's teacher for its action distribution
 * and value at every state it visits, and after t_max steps moves the shared student toward the
 * teacher: KL(pi_teacher || pi_student) + value_coef (V_student - V_teacher)^2, with the same
 * asynchronous RMSProp as A3C.
 */
public final class DistillLearner implements Runnable {
  private final String game;
  private final A3CConfig config;
  private final SharedModel shared;
  private final GamePlayer player;
  private final A3CNet local;
  private final OnnxPolicy teacher;
  private final FrameStack teacherFrames;
  private final TrainingCounters counters;
  private final LossMeter losses;
  private final ThreadAllocation allocation;
  private final int slot;
  private final SplittableRandom random;
  private final float[] teacherProbs;
  private final float[] teacherValues;
  private final float[] gradient;
  private float[] h;
  private float[] c;

  public DistillLearner(GamePlayer player, A3CConfig config, SharedModel shared, A3CNet local,
      OnnxPolicy teacher, TrainingCounters counters, LossMeter losses, ThreadAllocation allocation,
      int slot, long seed) {
    this.game = player.game();
    this.config = config;
    this.shared = shared;
    this.player = player;
    this.local = local;
    this.teacher = teacher;
    this.teacherFrames = new FrameStack(teacher.observationShape()[0], NetSpec.SIZE * NetSpec.SIZE);
    this.counters = counters;
    this.losses = losses;
    this.allocation = allocation;
    this.slot = slot;
    this.random = new SplittableRandom(seed);
    int tMax = config.rollout().tMax();
    this.teacherProbs = new float[tMax * local.actions()];
    this.teacherValues = new float[tMax];
    this.gradient = new float[shared.viewSize(game)];
  }

  @Override
  public void run() {
    try {
      train();
    } catch (ResilientEnv.Stopped stopped) {
      // The run stopped while the env service was unreachable.
    } catch (OrtException e) {
      throw new IllegalStateException(game + "'s teacher failed: " + e.getMessage(), e);
    }
  }

  private void train() throws OrtException {
    startEpisode();
    while (allocation.awaitTurn(game, slot,
        () -> counters.stopped() || config.budgetReached(counters, game))
        && !counters.stopped() && !config.budgetReached(counters, game)) {
      shared.copyTo(local);
      local.beginRollout();
      int t = 0;
      boolean episodeOver = false;
      try {
        while (t < config.rollout().tMax() && !episodeOver) {
          A3CNet.Output out = local.act(player.observation());
          OnnxPolicy.Decision target = teacher.act(teacherFrames.observation(), h, c, false, random);
          h = target.h();
          c = target.c();
          System.arraycopy(target.probs(), 0, teacherProbs, t * local.actions(), local.actions());
          teacherValues[t] = target.value();
          // The student's own action: it learns the teacher's choices where its own play leads.
          episodeOver = player.step(ActionSampling.sample(out.probs(), random)).getState()
              != EpisodeState.RUNNING;
          teacherFrames.push(player.lastFrame());
          t++;
        }
      } catch (EpisodeInterrupted lost) {
        startEpisode();
        continue;
      }
      A3CNet.DistillLosses loss = local.distillBackward(t, teacherProbs, teacherValues,
          config.loss().valueCoef(), gradient);
      SharedModel.Clip clip = shared.update(game, gradient, config, counters.frames());
      counters.countUpdate();
      losses.add(game, t, loss.kl(), loss.value(), loss.entropy(), clip.norm(), clip.clipped(),
          clip.blockNorms());
      if (episodeOver) {
        startEpisode();
      }
    }
  }

  private void startEpisode() {
    player.reset();
    local.resetState();
    teacherFrames.reset(player.lastFrame());
    h = null;
    c = null;
  }
}
