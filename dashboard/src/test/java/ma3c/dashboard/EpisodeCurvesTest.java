package ma3c.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class EpisodeCurvesTest {
  @Test
  void theScoreIsTheMeanOfTheLast100ReturnsPerGame() {
    EpisodeCurves c = new EpisodeCurves();
    for (int i = 1; i <= 150; i++) {
      c.line("{\"time\":1.0,\"game\":\"pong\",\"thread\":0,\"frames\":" + (i * 20_000) + ",\"gameFrames\":"
          + (i * 10_000) + ",\"episodeReturn\":" + i + ",\"length\":100}");
      c.line("{\"game\":\"breakout\",\"frames\":" + (i * 20_000) + ",\"gameFrames\":" + (i * 10_000)
          + ",\"episodeReturn\":2.0}");
    }
    List<FrameBuckets.Point> pong = c.curves(1000).get("pong");
    assertEquals(150, pong.size());
    assertEquals(10_000, pong.get(0).frames());
    assertEquals(1.0, pong.get(0).score());
    assertEquals(25.5, pong.get(49).score()); // mean of 1..50
    assertEquals(100.5, pong.get(149).score()); // mean of 51..150: the window holds 100
    assertEquals(2.0, c.curves(1000).get("breakout").get(149).score());
    assertEquals(List.of("pong", "breakout"), List.copyOf(c.curves(10).keySet()));
  }

  @Test
  void logsWithoutPerGameFramesUseTheRunsFrames() {
    assertEquals(new EpisodeCurves.Episode("pong", 5000, -21),
        EpisodeCurves.parse("{\"game\":\"pong\",\"frames\":5000,\"episodeReturn\":-21.0}"));
    assertEquals(new EpisodeCurves.Episode("pong", 3000, 1),
        EpisodeCurves.parse("{\"game\":\"pong\",\"frames\":5000,\"gameFrames\":3000,\"episodeReturn\":1}"));
  }

  @Test
  void unreadableLinesAreCountedAndSkipped() {
    EpisodeCurves c = new EpisodeCurves();
    c.line("{\"game\":\"pong\",\"frames\":1000,\"episodeReturn\":-21.0}");
    c.line("{\"game\":\"pong\",\"frames\":2");
    c.line("not json");
    c.line("{\"game\":\"pong\",\"frames\":3000,\"episodeReturn\":null}");
    c.line("{\"frames\":3000,\"episodeReturn\":1}");
    c.line("{\"game\":\"pong\",\"frames\":1000,\"episodeReturn\":-20.0} trailing");
    assertEquals(5, c.badLines());
    assertEquals(1, c.curves(10).get("pong").size());
    assertNull(EpisodeCurves.parse("[1,2]"));
  }

  @Test
  void aRestartForgetsEverything() {
    EpisodeCurves c = new EpisodeCurves();
    c.line("{\"game\":\"pong\",\"frames\":1000,\"episodeReturn\":-21.0}");
    c.line("torn");
    c.restarted();
    assertEquals(0, c.badLines());
    assertEquals(0, c.curves(10).size());
  }
}
