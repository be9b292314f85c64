package ma3c.runformat;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;

/**
 * One line of episodes.jsonl: a finished episode. The field names are those of the file.
 *
 * @param time seconds of training when it ended (over resumes)
 * @param game the game it was played in
 * @param thread the actor thread that played it
 * @param frames frames of all games when it ended
 * @param gameFrames frames of its own game when it ended (0 in logs written before it existed)
 * @param episodeReturn its unclipped return
 * @param length its steps
 */
public record EpisodeRecord(double time, String game, int thread, long frames, long gameFrames,
    double episodeReturn, int length) {

  /**
   * The x of a learning curve: the frames of its game, or of the run in logs that predate
   * per-game frames.
   */
  public long curveFrames() {
    return gameFrames > 0 ? gameFrames : frames;
  }

  /** This record as a line of episodes.jsonl, without its newline. */
  public String toLine() {
    return RunJson.line(this);
  }

  /**
   * The episode of a line of episodes.jsonl, or null for a line that is not one (torn, edited,
   * not JSON, more than one value, no game, no finite return, neither frame count). Other fields
   * that are absent, null or not numbers read as 0 (time as NaN); unknown fields are ignored.
   */
  public static EpisodeRecord parse(String line) {
    double time = Double.NaN;
    String game = null;
    int thread = 0;
    long frames = -1;
    long gameFrames = -1;
    double episodeReturn = Double.NaN;
    int length = 0;
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
          case "time" -> time = lenientNumber(in);
          case "thread" -> thread = (int) orZero(lenientNumber(in));
          case "length" -> length = (int) orZero(lenientNumber(in));
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
    return new EpisodeRecord(time, game, thread, Math.max(0, frames), Math.max(0, gameFrames),
        episodeReturn, length);
  }

  /** A number or numeric string; NaN (the value skipped) for anything else. */
  private static double lenientNumber(JsonReader in) throws IOException {
    JsonToken t = in.peek();
    if (t != JsonToken.NUMBER && t != JsonToken.STRING) {
      in.skipValue();
      return Double.NaN;
    }
    try {
      return Double.parseDouble(in.nextString());
    } catch (NumberFormatException notANumber) {
      return Double.NaN;
    }
  }

  private static double orZero(double value) {
    return Double.isFinite(value) ? value : 0;
  }
}
