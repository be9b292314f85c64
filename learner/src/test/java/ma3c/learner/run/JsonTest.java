package ma3c.learner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  record Metrics(double mean, float loss, Map<String, Double> games) {}

  /** Gson's strict parser, like any other JSON reader, refuses NaN: the files must never hold it. */
  @Test
  void nonFiniteNumbersAreWrittenAsNullAndReadBackAsNaN() {
    Map<String, Double> games = new LinkedHashMap<>();
    games.put("pong", Double.NaN);
    games.put("breakout", 2.5);
    String line = Json.LINE.toJson(new Metrics(Double.NaN, Float.POSITIVE_INFINITY, games));
    assertEquals("{\"mean\":null,\"loss\":null,\"games\":{\"pong\":null,\"breakout\":2.5}}", line);
    assertTrue(JsonParser.parseString(line).isJsonObject());
    Metrics back = Json.LINE.fromJson(line, Metrics.class);
    assertTrue(Double.isNaN(back.mean()));
    assertTrue(Float.isNaN(back.loss()));
    assertEquals(2.5, back.games().get("breakout"));
  }
}
