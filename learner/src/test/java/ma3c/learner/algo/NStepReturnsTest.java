package ma3c.learner.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class NStepReturnsTest {
  @Test
  void bootstrapsFromTheLastValueWhenTheRolloutIsCut() {
    double[] rewards = {1, 0, -1};
    double[] values = {0.5, 0.2, -0.4};
    double[] returns = new double[3];
    double[] advantages = new double[3];
    NStepReturns.compute(3, rewards, values, 2.0, 0.9, returns, advantages);
    // R2 = -1 + 0.9 * 2 = 0.8; R1 = 0 + 0.9 * 0.8 = 0.72; R0 = 1 + 0.9 * 0.72 = 1.648
    assertArrayEquals(new double[] {1.648, 0.72, 0.8}, returns, 1e-12);
    assertArrayEquals(new double[] {1.148, 0.52, 1.2}, advantages, 1e-12);
  }

  @Test
  void terminalStateContributesNothing() {
    double[] returns = new double[2];
    double[] advantages = new double[2];
    NStepReturns.compute(2, new double[] {0, 1}, new double[] {0.3, 0.9}, 0, 0.99, returns, advantages);
    assertArrayEquals(new double[] {0.99, 1.0}, returns, 1e-12);
    assertArrayEquals(new double[] {0.69, 0.1}, advantages, 1e-12);
  }

  @Test
  void onlyTheFirstStepsOfTheBuffersAreUsed() {
    double[] returns = {9, 9, 9};
    double[] advantages = {9, 9, 9};
    NStepReturns.compute(1, new double[] {1, 5, 5}, new double[] {0, 5, 5}, 1, 0.5, returns, advantages);
    assertArrayEquals(new double[] {1.5, 9, 9}, returns, 1e-12);
    assertArrayEquals(new double[] {1.5, 9, 9}, advantages, 1e-12);
  }
}
