package ma3c.learner.distill;

import ai.onnxruntime.OrtException;
import java.util.SplittableRandom;
import ma3c.env.v1.StepResponse;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.algo.GamePlayer;
import ma3c.learner.algo.Objective;
import ma3c.learner.algo.RolloutLoss;
import ma3c.model.A3CNet;
import ma3c.model.FrameStack;
import ma3c.model.NetSpec;
import ma3c.model.onnx.OnnxPolicy;

/**
 * A student thread's objective in a policy-distillation run (Rusu et al. 2016, the baseline the
 * paper asks for): the thread plays game k with its own policy, asks game k's teacher for its
 * action distribution and value at every state it visits, and after t_max steps moves the shared
 * student toward the teacher: KL(pi_teacher || pi_student) + value_coef (V_student - V_teacher)^2,
 * with the same asynchronous RMSProp as A3C.
 */
public final class DistillObjective implements Objective {
  private final A3CConfig config;
  private final GamePlayer player;
  private final A3CNet local;
  private final OnnxPolicy teacher;
  private final FrameStack teacherFrames;
  private final SplittableRandom random;
  private final float[] teacherProbs;
  private final float[] teacherValues;
  private float[] h;
  private float[] c;

  /** @param random the thread's (the teacher draws its action from it, as the student does) */
  public DistillObjective(A3CConfig config, GamePlayer player, A3CNet local, OnnxPolicy teacher,
      SplittableRandom random) {
    this.config = config;
    this.player = player;
    this.local = local;
    this.teacher = teacher;
    this.teacherFrames = new FrameStack(teacher.observationShape()[0], NetSpec.SIZE * NetSpec.SIZE);
    this.random = random;
    int tMax = config.rollout().tMax();
    this.teacherProbs = new float[tMax * local.actions()];
    this.teacherValues = new float[tMax];
  }

  @Override
  public void episodeStarted() {
    teacherFrames.reset(player.lastFrame());
    h = null;
    c = null;
  }

  @Override
  public void acting(int t, A3CNet.Output out) {
    OnnxPolicy.Decision target;
    try {
      target = teacher.act(teacherFrames.observation(), h, c, false, random);
    } catch (OrtException e) {
      throw new IllegalStateException(player.game() + "'s teacher failed: " + e.getMessage(), e);
    }
    h = target.h();
    c = target.c();
    System.arraycopy(target.probs(), 0, teacherProbs, t * local.actions(), local.actions());
    teacherValues[t] = target.value();
  }

  /** The student's own action: it learns the teacher's choices where its own play leads. */
  @Override
  public void stepped(int t, int action, A3CNet.Output out, StepResponse step) {
    teacherFrames.push(player.lastFrame());
  }

  @Override
  public RolloutLoss gradient(int steps, float[] gradient) {
    A3CNet.DistillLosses loss = local.distillBackward(steps, teacherProbs, teacherValues,
        config.loss().valueCoef(), gradient);
    return new RolloutLoss(loss.kl(), loss.value(), loss.entropy());
  }
}
