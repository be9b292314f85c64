package ma3c.learner.play;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import ma3c.env.client.EnvException;
import ma3c.env.client.EnvSession;
import ma3c.env.client.Observations;
import ma3c.env.v1.EpisodeState;
import ma3c.env.v1.StepResponse;
import ma3c.model.FrameStack;
import ma3c.model.onnx.OnnxPolicy;

/** Plays episodes of a policy on an open env session, optionally recording one frame by frame. */
final class EpisodePlayer {
  record Result(double score, int steps) {}

  private final OnnxPolicy policy;
  private final EnvSession session;
  private final boolean greedy;
  private final SplittableRandom random;
  private final int maxSteps;

  EpisodePlayer(OnnxPolicy policy, EnvSession session, boolean greedy, SplittableRandom random,
      int maxSteps) {
    this.policy = policy;
    this.session = session;
    this.greedy = greedy;
    this.random = random;
    this.maxSteps = maxSteps;
  }

  /**
   * One episode (to its end or {@code maxSteps}); {@code recorder} (may be null) gets every frame
   * the game showed: the first after reset, then one per step, the final one included.
   */
  Result play(GifWriter recorder) throws EnvException, OrtException, IOException {
    int[] shape = policy.observationShape();
    int frameSize = shape[1] * shape[2];
    byte[] frame = Observations.pixels(session.reset(OptionalLong.empty()).getObservation(), frameSize);
    record(recorder, frame);
    FrameStack stack = new FrameStack(shape[0], frameSize);
    stack.reset(frame);
    float[] h = null;
    float[] c = null;
    double score = 0;
    int steps = 0;
    StepResponse step;
    do {
      OnnxPolicy.Decision d = policy.act(stack.observation(), h, c, greedy, random);
      h = d.h();
      c = d.c();
      step = session.step(d.action());
      score += step.getReward();
      steps++;
      frame = Observations.pixels(step.getObservation(), frameSize);
      stack.push(frame);
      record(recorder, frame);
    } while (step.getState() == EpisodeState.RUNNING && steps < maxSteps);
    return new Result(score, steps);
  }

  private static void record(GifWriter recorder, byte[] frame) throws IOException {
    if (recorder != null) {
      recorder.add(frame);
    }
  }
}
