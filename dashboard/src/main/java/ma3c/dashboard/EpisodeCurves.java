package ma3c.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ma3c.runformat.EpisodeRecord;
import ma3c.runformat.JsonlTail;

/**
 * A run's learning curves from the lines of its episodes.jsonl, fed as they arrive: per game the
 * paper's score, the mean return of the last 100 episodes, against the frames of that game (the
 * run's total in logs that predate per-game frames), as the learner's `plot` draws it.
 * Unreadable lines ({@link EpisodeRecord#parse} says which) are counted and skipped.
 */
final class EpisodeCurves implements JsonlTail.Reader {
  static final int WINDOW = 100;

  /** An episode line's fields that the curves use. */
  record Episode(String game, long frames, double episodeReturn) {}

  private static final class Game {
    final double[] window = new double[WINDOW];
    long episodes;
    double sum;
    final FrameBuckets curve = new FrameBuckets();

    void add(long frames, double episodeReturn) {
      int slot = (int) (episodes % WINDOW);
      if (episodes >= WINDOW) {
        sum -= window[slot];
      }
      window[slot] = episodeReturn;
      sum += episodeReturn;
      episodes++;
      curve.add(frames, sum / Math.min(episodes, WINDOW), episodeReturn);
    }
  }

  private final Map<String, Game> games = new LinkedHashMap<>();
  private long badLines;

  @Override
  public void restarted() {
    games.clear();
    badLines = 0;
  }

  @Override
  public void line(String line) {
    Episode e = parse(line);
    if (e == null) {
      badLines++;
      return;
    }
    games.computeIfAbsent(e.game(), g -> new Game()).add(e.frames(), e.episodeReturn());
  }

  long badLines() {
    return badLines;
  }

  /** Per game, at most {@code points} points of its curve. */
  Map<String, List<FrameBuckets.Point>> curves(int points) {
    Map<String, List<FrameBuckets.Point>> out = new LinkedHashMap<>();
    games.forEach((game, g) -> out.put(game, g.curve.downsample(points)));
    return out;
  }

  /** The episode, or null for a line that is not one (torn, edited, not JSON). */
  static Episode parse(String line) {
    EpisodeRecord e = EpisodeRecord.parse(line);
    return e == null ? null : new Episode(e.game(), e.curveFrames(), e.episodeReturn());
  }
}
