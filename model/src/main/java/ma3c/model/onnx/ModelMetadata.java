package ma3c.model.onnx;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an exported model says about itself, stored as ONNX metadata properties: the game, its
 * action meanings, the preprocessing its observations need, the architecture and training length.
 */
public record ModelMetadata(String game, List<String> actionMeanings, String architecture,
    boolean lstm, int framesStacked, long framesTrained, String preprocessing, String version) {
  public static final String FORMAT_VERSION = "ma3c-policy-1";
  private static final Gson GSON = new Gson();
  private static final List<String> KEYS = List.of("ma3c.game", "ma3c.action_meanings",
      "ma3c.architecture", "ma3c.lstm", "ma3c.frames_stacked", "ma3c.frames_trained",
      "ma3c.preprocessing", "ma3c.version");

  public Map<String, String> toProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("ma3c.game", game);
    p.put("ma3c.action_meanings", GSON.toJson(actionMeanings));
    p.put("ma3c.architecture", architecture);
    p.put("ma3c.lstm", Boolean.toString(lstm));
    p.put("ma3c.frames_stacked", Integer.toString(framesStacked));
    p.put("ma3c.frames_trained", Long.toString(framesTrained));
    p.put("ma3c.preprocessing", preprocessing);
    p.put("ma3c.version", version);
    return p;
  }

  /** Reads the properties back; fails with a clear message on a model that is not ours. */
  public static ModelMetadata fromProperties(Map<String, String> p) {
    if (!p.containsKey("ma3c.game") || !p.containsKey("ma3c.version")) {
      throw new IllegalArgumentException("not an MA3C policy model (no ma3c.* metadata)");
    }
    List<String> missing = KEYS.stream().filter(k -> !p.containsKey(k)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("its MA3C metadata lack " + missing);
    }
    try {
      List<String> actions = GSON.fromJson(p.get("ma3c.action_meanings"),
          new TypeToken<List<String>>() {}.getType());
      if (actions == null || actions.isEmpty()) {
        throw new IllegalArgumentException("its metadata name no actions");
      }
      return new ModelMetadata(p.get("ma3c.game"), actions, p.get("ma3c.architecture"),
          Boolean.parseBoolean(p.get("ma3c.lstm")), Integer.parseInt(p.get("ma3c.frames_stacked")),
          Long.parseLong(p.get("ma3c.frames_trained")), p.get("ma3c.preprocessing"),
          p.get("ma3c.version"));
    } catch (JsonParseException | NumberFormatException e) {
      throw new IllegalArgumentException("its MA3C metadata are malformed: " + e.getMessage(), e);
    }
  }
}
