package ma3c.runformat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsRecordTest {
  private static MetricsRecord.GameMetrics pong(Double policyLoss, Integer threads) {
    Map<String, Double> blocks = new LinkedHashMap<>();
    blocks.put("conv1_w", 23.0);
    blocks.put("v_b", 19.0);
    return new MetricsRecord.GameMetrics(1000, -20.5, 12, policyLoss, 0.1, 1.7, 3.0, 0.5, blocks,
        0.75, 0.25, 4, threads);
  }

  @Test
  void writesTheFieldsOfMetricsJsonlAndReadsThemBack() {
    Map<String, MetricsRecord.GameMetrics> games = new LinkedHashMap<>();
    games.put("pong", pong(0.2, 8));
    MetricsRecord m = new MetricsRecord(10.5, 2000, 190.5, 10, 3e-4, games);
    assertEquals("{\"time\":10.5,\"frames\":2000,\"fps\":190.5,\"updates\":10,\"learningRate\":3.0E-4,"
        + "\"games\":{\"pong\":{\"frames\":1000,\"mean100\":-20.5,\"episodes\":12,\"policyLoss\":0.2,"
        + "\"valueLoss\":0.1,\"entropy\":1.7,\"gradNorm\":3.0,\"clippedFraction\":0.5,"
        + "\"blockGradNorms\":{\"conv1_w\":23.0,\"v_b\":19.0},\"liveUnits\":0.75,\"valueSpread\":0.25,"
        + "\"updates\":4,\"threads\":8}}}", m.toLine());
    assertEquals(m, MetricsRecord.parse(m.toLine()));
    assertEquals(m, RunJson.LINE.fromJson(m.toLine(), MetricsRecord.class));
  }

  /** No updates of a game in an interval, no mean before the first episode: null, not 0. */
  @Test
  void undefinedFiguresAreWrittenAsNull() {
    Map<String, MetricsRecord.GameMetrics> games = new LinkedHashMap<>();
    games.put("pong", new MetricsRecord.GameMetrics(0, Double.NaN, 0, null, null, null, null, null,
        null, null, null, 0, 2));
    MetricsRecord m = new MetricsRecord(1, 0, 0, 0, 1e-4, games);
    String line = m.toLine();
    assertTrue(line.contains("\"mean100\":null,\"episodes\":0,\"policyLoss\":null"), line);
    MetricsRecord.GameMetrics back = MetricsRecord.parse(line).games().get("pong");
    assertTrue(Double.isNaN(back.mean100()));
    assertNull(back.policyLoss());
    assertNull(back.blockGradNorms());
    assertEquals(2, back.threads());
  }

  @Test
  void linesOfEarlierBuildsReadWithTheirFieldsMissing() {
    // before per-game frames and threads (and before the null losses, when they were 0)
    MetricsRecord old = MetricsRecord.parse("{\"time\":5.0,\"frames\":4000,\"fps\":800.0,\"updates\":20,"
        + "\"learningRate\":7.0E-4,\"games\":{\"pong\":{\"mean100\":-21.0,\"episodes\":3,\"policyLoss\":0.0,"
        + "\"valueLoss\":0.0,\"entropy\":1.79,\"gradNorm\":0.0,\"updates\":20}}}");
    MetricsRecord.GameMetrics pong = old.games().get("pong");
    assertEquals(4000, old.frames());
    assertEquals(0, pong.frames());
    assertNull(pong.threads());
    assertNull(pong.liveUnits());
    assertEquals(1.79, pong.entropy());
  }

  @Test
  void malformedLinesReadAsNullAndOddFieldsAsMissing() {
    assertNull(MetricsRecord.parse("{\"time\":250.0,\"frames\":10400"), "torn");
    assertNull(MetricsRecord.parse("not json"));
    assertNull(MetricsRecord.parse("[1]"));
    assertNull(MetricsRecord.parse("{\"time\":1.0}"), "no frames");
    assertNull(MetricsRecord.parse("{\"frames\":null}"));
    MetricsRecord odd = MetricsRecord.parse("{\"frames\":100,\"fps\":\"fast\",\"games\":{\"pong\":3,"
        + "\"breakout\":{\"threads\":\"x\",\"mean100\":2}}}");
    assertTrue(Double.isNaN(odd.fps()));
    assertTrue(Double.isNaN(odd.time()));
    assertEquals(java.util.List.of("breakout"), java.util.List.copyOf(odd.games().keySet()));
    assertNull(odd.games().get("breakout").threads());
    assertEquals(2.0, odd.games().get("breakout").mean100());
  }
}
