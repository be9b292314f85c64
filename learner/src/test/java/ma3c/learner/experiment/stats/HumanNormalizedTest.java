package ma3c.learner.experiment.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class HumanNormalizedTest {
  @Test
  void randomIsZeroAndHumanIsOne() {
    assertEquals(0, HumanNormalized.score("pong", -20.7), 1e-12);
    assertEquals(1, HumanNormalized.score("pong", 14.6), 1e-12);
    // Breakout: (53.36 - 1.7) / (30.5 - 1.7)
    assertEquals(1.79375, HumanNormalized.score("breakout", 53.36), 1e-12);
  }

  @Test
  void theFiguresGamesAreInTheTableAndCatchIsNot() {
    for (String game : List.of("pong", "breakout", "space_invaders", "phoenix", "ms_pacman", "qbert")) {
      assertNotNull(HumanNormalized.reference(game), game);
    }
    assertEquals(new HumanNormalized.Reference(761.4, 7242.6), HumanNormalized.reference("phoenix"));
    assertEquals(new HumanNormalized.Reference(148.0, 1668.7), HumanNormalized.reference("space_invaders"));
    assertNull(HumanNormalized.reference("catch"));
    assertThrows(IllegalArgumentException.class, () -> HumanNormalized.score("catch", 1));
  }
}
