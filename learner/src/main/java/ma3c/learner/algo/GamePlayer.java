package ma3c.learner.algo;

import ma3c.env.v1.ResetResponse;
import ma3c.env.v1.StepResponse;
import ma3c.learner.env.EpisodeInterrupted;
import ma3c.learner.env.ResilientEnv;
import ma3c.model.FrameStack;
import ma3c.model.NetSpec;

/**
 * One actor thread's game: its env session, the stacked frames its net sees, and the bookkeeping
 * of each step (frames counted, finished games recorded). Its objective may read it too (A3C's
 * bootstrap state, a teacher's frames).
 */
public final class GamePlayer {
  /** Where finished games go (the run's episode statistics and log). */
  @FunctionalInterface
  public interface FinishedGames {
    /**
     * @param frames frames of all games when it ended
     * @param gameFrames frames of its own game when it ended
     */
    void record(String game, int thread, long frames, long gameFrames, double episodeReturn,
        int length);
  }

  private final ResilientEnv env;
  private final int thread;
  private final TrainingCounters counters;
  private final FinishedGames episodes;
  private final FrameStack frames;
  private final int frameSkip;
  private byte[] lastFrame;

  public GamePlayer(ResilientEnv env, int thread, int stackedFrames, TrainingCounters counters,
      FinishedGames episodes) {
    this.env = env;
    this.thread = thread;
    this.counters = counters;
    this.episodes = episodes;
    this.frames = new FrameStack(stackedFrames, NetSpec.SIZE * NetSpec.SIZE);
    this.frameSkip = Math.max(1, env.spec().getConfig().getFrameSkip());
  }

  public String game() {
    return env.spec().getGame();
  }

  /** Starts an episode (a new env session first, when the last one was lost). */
  public void reset() {
    ResetResponse reset = env.reset();
    lastFrame = env.pixels(reset.getObservation());
    frames.reset(lastFrame);
  }

  /** The stacked frames the net acts on. */
  public byte[] observation() {
    return frames.observation();
  }

  /** The newest frame alone (for a second frame stack, e.g. a teacher's). */
  public byte[] lastFrame() {
    return lastFrame;
  }

  /** Plays {@code action}: counts its frames, stacks its frame, records a finished game. */
  public StepResponse step(int action) throws EpisodeInterrupted {
    StepResponse step = env.step(action);
    long total = counters.addFrames(game(), frameSkip);
    lastFrame = env.pixels(step.getObservation());
    frames.push(lastFrame);
    if (step.getInfo().getGameOver()) {
      episodes.record(game(), thread, total, counters.frames(game()),
          step.getInfo().getEpisodeReturn(), step.getInfo().getEpisodeLength());
    }
    return step;
  }
}
