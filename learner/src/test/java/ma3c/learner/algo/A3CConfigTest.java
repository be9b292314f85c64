package ma3c.learner.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class A3CConfigTest {
  /** Games that overshoot their budget by a rollout must not cut the others short. */
  @Test
  void withABudgetPerGameEachGameTrainsItsOwn() {
    A3CConfig config = A3CConfig.defaults(true, 0).withBudget(new A3CConfig.Budget(300, 100));
    TrainingCounters counters = new TrainingCounters(0, 0);
    counters.addFrames("pong", 180);
    counters.addFrames("breakout", 160);
    counters.addFrames("phoenix", 90);
    assertTrue(counters.frames() >= 300, "the total is past 3 x 100");
    assertTrue(config.budgetReached(counters, "pong"));
    assertFalse(config.budgetReached(counters, "phoenix"), "phoenix has 90 of its 100");
  }

  @Test
  void withoutOneTheTotalDecides() {
    A3CConfig config = A3CConfig.defaults(false, 300);
    TrainingCounters counters = new TrainingCounters(0, 0);
    counters.addFrames("pong", 299);
    assertFalse(config.budgetReached(counters, "pong"));
    counters.addFrames("breakout", 1);
    assertTrue(config.budgetReached(counters, "pong"));
    assertEquals(config.rmsProp().learningRate() / 2, config.learningRateAt(150), 1e-12,
        "the learning rate anneals linearly over the total");
  }
}
