package ma3c.dashboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsHistoryTest {
  private static String line(long frames, double fps, String games) {
    return "{\"time\":" + frames / 1000.0 + ",\"frames\":" + frames + ",\"fps\":" + fps
        + ",\"updates\":10,\"learningRate\":0.0003,\"games\":{" + games + "}}";
  }

  private static String game(String name, long frames, Object policyLoss, int threads) {
    return "\"" + name + "\":{\"frames\":" + frames + ",\"mean100\":-20.5,\"episodes\":12,\"policyLoss\":"
        + policyLoss + ",\"valueLoss\":0.1,\"entropy\":1.7,\"gradNorm\":3.0,\"updates\":4,\"threads\":" + threads + "}";
  }

  @Test
  void keepsTheLatestLineAndTheSeriesPerGame() {
    MetricsHistory m = new MetricsHistory();
    m.line(line(1000, 100, game("pong", 1000, 0.5, 8)));
    m.line(line(2000, 300, game("pong", 2000, null, 7)));
    MetricsHistory.Latest latest = m.latest();
    assertEquals(2000, latest.frames());
    assertEquals(300, latest.fps());
    assertEquals(new MetricsHistory.GameLatest(2000, 12, -20.5), latest.games().get("pong"));
    MetricsHistory.Series s = m.downsample(100);
    assertArrayEquals(new long[] {1000, 2000}, s.frames());
    assertArrayEquals(new double[] {100, 300}, s.run().get("fps"));
    // null: the learner's "no update in that interval", a gap in the chart.
    assertEquals(0.5, s.games().get("pong").get("policyLoss")[0]);
    assertTrue(Double.isNaN(s.games().get("pong").get("policyLoss")[1]));
    assertArrayEquals(new double[] {8, 7}, s.games().get("pong").get("threads"));
  }

  @Test
  void downsamplingAveragesNeighboursAndSkipsMissingValues() {
    MetricsHistory m = new MetricsHistory();
    m.line(line(1000, 100, game("pong", 1000, 1.0, 8)));
    m.line(line(2000, 200, game("pong", 2000, null, 8)));
    m.line(line(3000, 300, game("pong", 3000, 3.0, 8)));
    m.line(line(4000, 400, game("pong", 4000, 5.0, 8)));
    MetricsHistory.Series s = m.downsample(2);
    assertArrayEquals(new long[] {2000, 4000}, s.frames());
    assertArrayEquals(new double[] {150, 350}, s.run().get("fps"));
    assertArrayEquals(new double[] {1.0, 4.0}, s.games().get("pong").get("policyLoss"));
  }

  @Test
  void aGameThatAppearsLaterHasGapsBefore() {
    MetricsHistory m = new MetricsHistory();
    m.line(line(1000, 100, game("pong", 1000, 1.0, 8)));
    m.line(line(2000, 100, game("pong", 1000, 1.0, 8) + "," + game("breakout", 1000, 2.0, 4)));
    double[] threads = m.downsample(10).games().get("breakout").get("threads");
    assertTrue(Double.isNaN(threads[0]));
    assertEquals(4, threads[1]);
  }

  @Test
  void aLongRunStaysWithinTheCapacityAndKeepsItsLatestLines() {
    MetricsHistory m = new MetricsHistory();
    int n = 100_000;
    for (int i = 1; i <= n; i++) {
      m.line(line(1000L * i, i, game("pong", 1000L * i, 0.1, 8)));
    }
    assertTrue(m.rows() <= MetricsHistory.CAPACITY, m.rows() + " rows");
    MetricsHistory.Series s = m.downsample(300);
    assertTrue(s.frames().length <= 300 && s.frames().length >= 150, s.frames().length + " points");
    assertEquals(1000L * n, s.frames()[s.frames().length - 1]);
    assertEquals(n, m.latest().fps());
    for (int i = 1; i < s.frames().length; i++) {
      assertTrue(s.frames()[i] > s.frames()[i - 1]);
    }
  }

  @Test
  void unreadableLinesAreCountedAndARestartForgets() {
    MetricsHistory m = new MetricsHistory();
    m.line("{\"time\":1.0,\"frames\":");
    m.line("{\"time\":1.0}");
    assertEquals(2, m.badLines());
    assertNull(m.latest());
    m.line(line(1000, 100, ""));
    m.restarted();
    assertNull(m.latest());
    assertEquals(0, m.downsample(10).frames().length);
    assertEquals(Map.of(), m.downsample(10).games());
  }
}
