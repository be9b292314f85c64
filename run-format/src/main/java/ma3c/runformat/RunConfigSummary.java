package ma3c.runformat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run list shows of a run's config.json (the dashboard's). Read as JSON, not through the
 * learner's classes (the dashboard does not depend on the learner), in both layouts the learner
 * has written: grouped ({"net":{"architecture"}, "a3c":{"budget":{"frames"}}}) and, in runs from
 * before that, flat ({"architecture", "a3c":{"frameBudget"}}).
 *
 * @param error why config.json could not be read; null when it was
 */
public record RunConfigSummary(String architecture, Boolean lstm, Map<String, Integer> threadsPerGame,
    long frameBudget, long framesPerGame, Double learningRate, Integer tMax, Long seed,
    String allocation, String transferFrom, boolean distillation, String error) {

  /** A summary of nothing, saying why. */
  public static RunConfigSummary missing(String why) {
    return new RunConfigSummary(null, null, Map.of(), 0, 0, null, null, null, null, null, false, why);
  }

  /** The summary of {@code file}; a missing or unreadable file gives {@link #missing}, never throws. */
  public static RunConfigSummary read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return missing("no config.json yet");
    } catch (IOException e) {
      return missing("config.json: " + e.getMessage());
    }
    try {
      return of(JsonParser.parseString(text).getAsJsonObject());
    } catch (RuntimeException e) {
      return missing("config.json is not a run configuration (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** The summary of a parsed config.json, in either layout. */
  public static RunConfigSummary of(JsonObject c) {
    Map<String, Integer> threads = new LinkedHashMap<>();
    if (c.get("threadsPerGame") instanceof JsonObject perGame) {
      perGame.entrySet().forEach(e -> threads.put(e.getKey(), e.getValue().getAsInt()));
    }
    JsonElement budget = at(c, "a3c.budget.frames", "a3c.frameBudget");
    JsonElement perGameBudget = at(c, "a3c.budget.framesPerGame", "a3c.framesPerGame");
    JsonElement lr = at(c, "a3c.rmsProp.learningRate", "a3c.learningRate");
    JsonElement tMax = at(c, "a3c.rollout.tMax", "a3c.tMax");
    JsonElement arch = at(c, "net.architecture", "architecture");
    JsonElement lstm = at(c, "net.lstm", "lstm");
    JsonElement seed = at(c, "seed", "seed");
    JsonElement mode = at(c, "allocation.mode", "allocation.mode");
    JsonElement from = at(c, "transfer.from", "transfer.from");
    JsonElement teachers = c.get("teachers");
    return new RunConfigSummary(arch == null ? null : arch.getAsString(),
        lstm == null ? null : lstm.getAsBoolean(), threads,
        budget == null ? 0 : budget.getAsLong(), perGameBudget == null ? 0 : perGameBudget.getAsLong(),
        lr == null ? null : lr.getAsDouble(), tMax == null ? null : tMax.getAsInt(),
        seed == null ? null : seed.getAsLong(), mode == null ? "equal" : mode.getAsString(),
        from == null ? null : from.getAsString(),
        teachers != null && teachers.isJsonArray() && !teachers.getAsJsonArray().isEmpty(), null);
  }

  /** The value at a dotted path of the grouped layout, else of the flat one; null if neither. */
  private static JsonElement at(JsonObject root, String grouped, String flat) {
    JsonElement e = path(root, grouped);
    return e != null ? e : path(root, flat);
  }

  private static JsonElement path(JsonObject root, String dotted) {
    JsonElement e = root;
    for (String key : dotted.split("\\.")) {
      if (!(e instanceof JsonObject o)) {
        return null;
      }
      e = o.get(key);
    }
    return e == null || e.isJsonNull() ? null : e;
  }
}
