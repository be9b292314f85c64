package ma3c.learner.experiment.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EstimatesTest {
  private final Estimates estimates = new Estimates(Bootstrap.standard());

  @Test
  void oneSeedHasNoInterval() {
    Estimate one = estimates.mean(new double[] {53.36});
    assertEquals(53.36, one.value());
    assertNull(one.interval(), "never a fabricated one");
    assertFalse(estimates.ratioOfMeans(new double[] {38.13}, new double[] {53.36, 44.6}).hasInterval());
    assertFalse(estimates.probabilityOfImprovement(List.of(new double[] {1, 2}), List.of(new double[] {1})).hasInterval());
    assertFalse(estimates.iqm(List.of(new double[] {1, 2}, new double[] {3})).hasInterval());
  }

  @Test
  void theMeanOfSeedsLiesInItsInterval() {
    double[] seeds = {38.1, 44.6, 53.4, 29.0, 47.7};
    Estimate e = estimates.mean(seeds);
    assertEquals(42.56, e.value(), 1e-12);
    assertTrue(e.interval().contains(e.value()));
    // Resampled means lie between the lowest and highest seed, and 5 seeds rarely resample all high.
    assertTrue(e.interval().low() > 29.0 && e.interval().high() < 53.4, e.toString());
    assertEquals(5, e.runs());
  }

  @Test
  void identicalArmsHaveARatioIntervalAroundOne() {
    double[] seeds = {10, 12, 15, 11};
    Estimate ratio = estimates.ratioOfMeans(seeds, seeds.clone());
    assertEquals(1.0, ratio.value());
    assertTrue(ratio.interval().contains(1) && ratio.interval().low() < 0.95 && ratio.interval().high() > 1.05,
        "independent resamples of the same seeds still scatter: " + ratio);
  }

  /**
   * Two seeds each: no interval. The resampled means of {20, 24} are 20, 22, 24 and those of
   * {10, 12} 10, 11, 12, so a percentile interval would be [20/12, 24/10], the most extreme pairing:
   * it excludes no effect whenever the two arms' seeds do not interleave, one time in three for two
   * arms that do not differ at all.
   */
  @Test
  void twoSeedsEachGiveNoInterval() {
    Estimate ratio = estimates.ratioOfMeans(new double[] {20, 24}, new double[] {10, 12});
    assertEquals(2.0, ratio.value(), 1e-15);
    assertNull(ratio.interval());
    assertNull(estimates.differenceOfMeans(new double[] {20, 24}, new double[] {10, 12}).interval());
    assertNull(estimates.mean(new double[] {20, 24}).interval());
  }

  /**
   * Three seeds: a resampled mean of {10, 11, 12} is 10 only when all three draws are 10 (1/27,
   * more than 2.5%), and 12 likewise; so against an arm that scored 22 with every seed the ratio's
   * interval is exactly [22/12, 22/10] and the difference's [10, 12].
   */
  @Test
  void threeSeedsEachGiveAHandComputedInterval() {
    double[] arm = {22, 22, 22};
    double[] baseline = {10, 11, 12};
    assertEquals(new Interval(10, 12), estimates.mean(baseline).interval());
    Estimate ratio = estimates.ratioOfMeans(arm, baseline);
    assertEquals(2.0, ratio.value(), 1e-15);
    assertEquals(new Interval(22.0 / 12, 2.2), ratio.interval());
    assertEquals(new Interval(10, 12), estimates.differenceOfMeans(arm, baseline).interval());
  }

  @Test
  void aRatioToABaselineThatScoredZeroOrLessIsADifference() {
    double[] pong = {18.6, 19.2, 17.9};
    double[] a3c = {16.1, -2.0, 15.3};
    assertThrows(IllegalArgumentException.class, () -> estimates.ratioOfMeans(pong, a3c));
    Comparison c = Comparison.of(pong, a3c, estimates);
    assertEquals(Comparison.Scale.DIFFERENCE, c.scale());
    assertEquals(Comparison.Scale.RATIO, Comparison.of(pong, new double[] {16.1, 0.5, 15.3}, estimates).scale());
  }

  /** Figure 5's Pong: an arm at -1.78 against A3C's 16.06 is "-0.11x", which means nothing. */
  @Test
  void anArmThatScoredZeroOrLessIsComparedByTheDifference() {
    double[] a3c = {16.06, 15.3};
    Comparison c = Comparison.of(new double[] {-1.78, 3.0}, a3c, estimates);
    assertEquals(Comparison.Scale.DIFFERENCE, c.scale());
    assertEquals((-1.78 + 3.0) / 2 - (16.06 + 15.3) / 2, c.estimate().value(), 1e-12);
  }

  @Test
  void aSeparatedArmImprovesWithCertainty() {
    Estimate p = estimates.probabilityOfImprovement(List.of(new double[] {5, 6, 7}), List.of(new double[] {1, 2, 3}));
    assertEquals(1.0, p.value());
    assertEquals(new Interval(1, 1), p.interval(), "every resample is still separated");
    Estimate mixed = estimates.probabilityOfImprovement(List.of(new double[] {3, 5, 7}), List.of(new double[] {2, 5, 6}));
    assertEquals(5.5 / 9, mixed.value(), 1e-15);
    assertTrue(mixed.interval().low() < 0.5 && mixed.interval().high() > 0.8, mixed.toString());
  }

  @Test
  void theIqmIntervalResamplesWithinEachGame() {
    // A game where every run scores 1 and one where every run scores 0: any resample keeps 3 runs
    // of each (stratified), and the IQM of 0, 0, 0, 1, 1, 1 (one cut at each end) is 0.5. A
    // resample across games could draw six 1s.
    Estimate iqm = estimates.iqm(List.of(new double[] {1, 1, 1}, new double[] {0, 0, 0}));
    assertEquals(0.5, iqm.value(), 1e-15);
    assertEquals(new Interval(0.5, 0.5), iqm.interval());
  }

  @Test
  void theSameDataGiveTheSameEstimates() {
    double[] x = {38.1, 44.6, 53.4};
    double[] y = {20.0, 25.1, 23.4};
    assertEquals(estimates.ratioOfMeans(x, y), new Estimates(Bootstrap.standard()).ratioOfMeans(x, y));
  }
}
