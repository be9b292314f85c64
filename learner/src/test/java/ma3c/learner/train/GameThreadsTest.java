package ma3c.learner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GameThreadsTest {
  @Test
  void splitsThreadsEquallyWithTheRemainderToTheFirstGames() {
    assertEquals(Map.of("pong", 8, "breakout", 8), GameThreads.parse("pong,breakout", 16));
    assertEquals(Map.of("a", 3, "b", 2, "c", 2), GameThreads.parse("a,b,c", 7));
  }

  @Test
  void takesExplicitWeights() {
    assertEquals(Map.of("pong", 6, "breakout", 10), GameThreads.parse("pong:6,breakout:10", 0));
  }

  @Test
  void rejectsWhatCannotWork() {
    assertThrows(IllegalArgumentException.class, () -> GameThreads.parse("a,b,c", 2));
    assertThrows(IllegalArgumentException.class, () -> GameThreads.parse("pong:0", 1));
    assertThrows(IllegalArgumentException.class, () -> GameThreads.parse("pong,pong", 2));
    assertThrows(IllegalArgumentException.class, () -> GameThreads.parse("pong,,x", 4));
  }
}
