package ma3c.dashboard;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's learning curves from the lines of its episodes.jsonl, fed as they arrive: per game the
 * paper's score, the mean return of the last 100 episodes, against the frames of that game (the
 * run's total in logs that predate per-game frames), as the learner's `plot` draws it.
 * Unreadable lines are counted and skipped.
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
    String game = null;
    long frames = -1;
    long gameFrames = -1;
    double episodeReturn = Double.NaN;
    try (JsonReader in = new JsonReader(new StringReader(line))) {
      in.beginObject();
      while (in.hasNext()) {
        String name = in.nextName();
        if (in.peek() == JsonToken.NULL) {
          in.nextNull();
          continue;
        }
        switch (name) {
          case "game" -> game = in.nextString();
          case "frames" -> frames = in.nextLong();
          case "gameFrames" -> gameFrames = in.nextLong();
          case "episodeReturn" -> episodeReturn = in.nextDouble();
          default -> in.skipValue();
        }
      }
      in.endObject();
      if (in.peek() != JsonToken.END_DOCUMENT) {
        return null;
      }
    } catch (IOException | RuntimeException malformed) {
      return null;
    }
    if (game == null || !Double.isFinite(episodeReturn) || frames < 0 && gameFrames < 0) {
      return null;
    }
    return new Episode(game, gameFrames > 0 ? gameFrames : frames, episodeReturn);
  }
}
