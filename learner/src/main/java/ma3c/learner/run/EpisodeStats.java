package ma3c.learner.run;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ma3c.runformat.EpisodeRecord;

/**
 * Finished games per game: counts and the last 100 unclipped returns (the paper's score), each
 * episode also written as a line of episodes.jsonl (an {@link EpisodeRecord}).
 */
public final class EpisodeStats {
  public static final int WINDOW = 100;

  private final Map<String, Deque<Double>> recent = new LinkedHashMap<>();
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private final JsonLines log;
  private final long startNanos = System.nanoTime();
  private final double timeOffset;

  public EpisodeStats(List<String> games, JsonLines log, double timeOffset) {
    for (String game : games) {
      recent.put(game, new ArrayDeque<>());
      counts.put(game, 0L);
    }
    this.log = log;
    this.timeOffset = timeOffset;
  }

  /** Seconds of training, over resumes. */
  public double elapsedSeconds() {
    return timeOffset + (System.nanoTime() - startNanos) / 1e9;
  }

  public synchronized void record(String game, int thread, long frames, long gameFrames,
      double episodeReturn, int length) {
    Deque<Double> window = recent.get(game);
    window.addLast(episodeReturn);
    if (window.size() > WINDOW) {
      window.removeFirst();
    }
    counts.merge(game, 1L, Long::sum);
    log.write(new EpisodeRecord(elapsedSeconds(), game, thread, frames, gameFrames, episodeReturn, length));
  }

  /** Mean of the last 100 returns, NaN before the first episode. */
  public synchronized double mean(String game) {
    return recent.get(game).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  public synchronized long count(String game) {
    return counts.get(game);
  }

  public synchronized Map<String, Long> counts() {
    return new LinkedHashMap<>(counts);
  }

  public synchronized Map<String, List<Double>> recentReturns() {
    Map<String, List<Double>> out = new LinkedHashMap<>();
    recent.forEach((g, w) -> out.put(g, new ArrayList<>(w)));
    return out;
  }

  /** What a checkpoint records, taken under one lock so counts and log agree. */
  public record Snapshot(Map<String, Long> counts, Map<String, List<Double>> recentReturns,
      long logBytes) {}

  public synchronized Snapshot snapshot() {
    return new Snapshot(counts(), recentReturns(), log.size());
  }

  /** Restores counts and windows from a checkpoint. */
  public synchronized void restore(Map<String, Long> savedCounts, Map<String, List<Double>> savedRecent) {
    savedCounts.forEach((g, n) -> {
      if (counts.containsKey(g)) {
        counts.put(g, n);
      }
    });
    savedRecent.forEach((g, list) -> {
      if (recent.containsKey(g)) {
        recent.get(g).clear();
        recent.get(g).addAll(list);
      }
    });
  }
}
