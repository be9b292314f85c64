package ma3c.runformat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of metrics.jsonl, written every few seconds of training. The field names are those
 * of the file; a number that is not finite is written as null (see {@link RunJson}).
 *
 * @param time seconds of training (over resumes)
 * @param frames frames of all games
 * @param fps frames per second over the interval since the previous line
 * @param updates updates of the shared parameters
 * @param learningRate the learning rate at these frames
 * @param games per game, in the run's order
 */
public record MetricsRecord(double time, long frames, double fps, long updates, double learningRate,
    Map<String, GameMetrics> games) {

  /**
   * Per-game part of a metrics line: the game's frames, losses per step, gradient norms per
   * update (before clipping), trunk health on the probe states (live fc units, range of V;
   * null before the probe has states), and the actor threads the game may run now. The losses,
   * entropy and gradient figures are null over an interval without updates of the game.
   *
   * @param frames the game's frames (0 in logs written before it existed)
   * @param threads null in logs written before it existed
   */
  public record GameMetrics(long frames, double mean100, long episodes, Double policyLoss,
      Double valueLoss, Double entropy, Double gradNorm, Double clippedFraction,
      Map<String, Double> blockGradNorms, Double liveUnits, Double valueSpread, long updates,
      Integer threads) {}

  /** This record as a line of metrics.jsonl, without its newline. */
  public String toLine() {
    return RunJson.line(this);
  }

  /**
   * The metrics of a line of metrics.jsonl, or null for a line that is not one (torn, edited,
   * not a JSON object, no number of frames). Other fields read tolerantly, as lines of any
   * earlier build hold them: a number that is absent, null (the learner's "undefined") or not a
   * number reads as NaN (a double), null (a boxed number) or 0 (a count); a game entry that is
   * not an object is left out.
   */
  public static MetricsRecord parse(String line) {
    JsonObject o;
    try {
      o = JsonParser.parseString(line) instanceof JsonObject object ? object : null;
    } catch (RuntimeException malformed) {
      return null;
    }
    double frames = o == null ? Double.NaN : number(o, "frames");
    if (Double.isNaN(frames)) {
      return null;
    }
    Map<String, GameMetrics> games = new LinkedHashMap<>();
    if (o.get("games") instanceof JsonObject perGame) {
      for (Map.Entry<String, JsonElement> g : perGame.entrySet()) {
        if (g.getValue() instanceof JsonObject m) {
          games.put(g.getKey(), game(m));
        }
      }
    }
    return new MetricsRecord(number(o, "time"), (long) frames, number(o, "fps"),
        (long) number(o, "updates"), number(o, "learningRate"), games);
  }

  private static GameMetrics game(JsonObject m) {
    Map<String, Double> blocks = null;
    if (m.get("blockGradNorms") instanceof JsonObject b) {
      blocks = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> e : b.entrySet()) {
        blocks.put(e.getKey(), number(b, e.getKey()));
      }
    }
    Double threads = boxed(m, "threads");
    return new GameMetrics((long) number(m, "frames"), number(m, "mean100"),
        (long) number(m, "episodes"), boxed(m, "policyLoss"), boxed(m, "valueLoss"),
        boxed(m, "entropy"), boxed(m, "gradNorm"), boxed(m, "clippedFraction"), blocks,
        boxed(m, "liveUnits"), boxed(m, "valueSpread"), (long) number(m, "updates"),
        threads == null ? null : (int) threads.doubleValue());
  }

  /** A number field; NaN when absent, null or not a number. */
  private static double number(JsonObject o, String field) {
    JsonElement e = o.get(field);
    try {
      return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    } catch (RuntimeException notANumber) {
      return Double.NaN;
    }
  }

  private static Double boxed(JsonObject o, String field) {
    double v = number(o, field);
    return Double.isNaN(v) ? null : v;
  }
}
