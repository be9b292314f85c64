package ma3c.learner.algo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters shared by all actor-learner threads, and the flag that stops them. Frames are counted
 * in total (the run's budget, the learning-rate schedule) and per game (multi-task runs are
 * compared at equal frames per game).
 */
public final class TrainingCounters {
  private final AtomicLong frames;
  private final Map<String, AtomicLong> gameFrames = new ConcurrentHashMap<>();
  private final AtomicLong updates;
  private volatile boolean stopped;

  public TrainingCounters(long frames, long updates) {
    this(frames, updates, Map.of());
  }

  public TrainingCounters(long frames, long updates, Map<String, Long> framesPerGame) {
    this.frames = new AtomicLong(frames);
    this.updates = new AtomicLong(updates);
    framesPerGame.forEach((game, n) -> gameFrames.put(game, new AtomicLong(n)));
  }

  public long frames() {
    return frames.get();
  }

  /** Counts {@code n} frames of {@code game}; returns the total over all games. */
  public long addFrames(String game, long n) {
    gameFrames.computeIfAbsent(game, g -> new AtomicLong()).addAndGet(n);
    return frames.addAndGet(n);
  }

  public long frames(String game) {
    AtomicLong n = gameFrames.get(game);
    return n == null ? 0 : n.get();
  }

  /** Frames per game so far, in the order of {@code games}. */
  public Map<String, Long> framesPerGame(Iterable<String> games) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String game : games) {
      out.put(game, frames(game));
    }
    return out;
  }

  public long updates() {
    return updates.get();
  }

  public void countUpdate() {
    updates.incrementAndGet();
  }

  public boolean stopped() {
    return stopped;
  }

  public void stop() {
    stopped = true;
  }
}
