package ma3c.learner.play;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import ma3c.env.client.EnvSession;
import ma3c.env.client.Observations;
import ma3c.env.contract.EnvException;
import ma3c.env.v1.EpisodeState;
import ma3c.env.v1.StepResponse;
import ma3c.model.FrameStack;
import ma3c.model.onnx.OnnxPolicy;

/**
 * Plays episodes of a policy on an open env session (play, evaluate), optionally recording one
 * frame by frame. A recurrent policy starts each episode from a zero state and carries it within.
 */
public final class EpisodePlayer {
  /**
   * One episode.
   *
   * @param score the sum of its unclipped rewards
   * @param steps the agent's decisions
   * @param frames emulator frames, no-op starts included (what the env's frame cap counts)
   * @param truncated whether it was cut (the env's frame cap, or maxSteps) before the game ended
   */
  public record Result(double score, int steps, int frames, boolean truncated) {}

  private final OnnxPolicy policy;
  private final EnvSession session;
  private final boolean greedy;
  private final int maxSteps;

  public EpisodePlayer(OnnxPolicy policy, EnvSession session, boolean greedy, int maxSteps) {
    this.policy = policy;
    this.session = session;
    this.greedy = greedy;
    this.maxSteps = maxSteps;
  }

  /**
   * One episode (to its end or {@code maxSteps}) from a reset with {@code seed} (empty: the env's
   * random state goes on), actions drawn with {@code random} unless greedy.
   */
  public Result play(OptionalLong seed, SplittableRandom random) throws EnvException, OrtException {
    try {
      return play(seed, random, null);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("only a recorder writes, and there is none", e);
    }
  }

  /**
   * {@link #play(OptionalLong, SplittableRandom)}, and {@code recorder} (may be null) gets every
   * frame the game showed: the first after reset, then one per step, the final one included.
   */
  Result play(OptionalLong seed, SplittableRandom random, GifWriter recorder)
      throws EnvException, OrtException, IOException {
    int[] shape = policy.observationShape();
    int frameSize = shape[1] * shape[2];
    byte[] frame = Observations.pixels(session.reset(seed).getObservation(), frameSize);
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
    return new Result(score, steps, step.getInfo().getEpisodeFrameNumber(),
        step.getState() != EpisodeState.TERMINATED);
  }

  private static void record(GifWriter recorder, byte[] frame) throws IOException {
    if (recorder != null) {
      recorder.add(frame);
    }
  }
}
