package ma3c.learner.experiment.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.junit.jupiter.api.Test;

class AggregatesTest {
  @Test
  void probabilityOfImprovementCountsEveryPairAndHalfATie() {
    // 3 > 2; 5 > 2, 5 = 5 (a half); 7 > 2, 5, 6: 5.5 of 9 pairs.
    assertEquals(5.5 / 9, Aggregates.probabilityOfImprovement(new double[] {3, 5, 7}, new double[] {2, 5, 6}), 1e-15);
    assertEquals(3.5 / 9, Aggregates.probabilityOfImprovement(new double[] {2, 5, 6}, new double[] {3, 5, 7}), 1e-15);
    double[] same = {1, 4, 4};
    assertEquals(0.5, Aggregates.probabilityOfImprovement(same, same), 1e-15, "rliable: 0.5 for identical runs");
  }

  /**
   * Wikipedia's worked example of the Mann-Whitney U ("Illustration of calculation methods"): 6
   * tortoises and 6 hares finish in the order T H H H H H T T T T T H. Scored by rank from the
   * last home (first home = 12), U for the tortoises is 11 and for the hares 25, of 36 pairs.
   */
  @Test
  void theTortoisesAndTheHares() {
    double[] tortoises = {12, 6, 5, 4, 3, 2};
    double[] hares = {11, 10, 9, 8, 7, 1};
    assertEquals(11.0 / 36, Aggregates.probabilityOfImprovement(tortoises, hares), 1e-15);
    assertEquals(25.0 / 36, Aggregates.probabilityOfImprovement(hares, tortoises), 1e-15);
  }

  /** The same U as Commons Statistics' rank-based Mann-Whitney test, ties and all. */
  @Test
  void agreesWithCommonsStatisticsMannWhitneyU() {
    SplittableRandom random = new SplittableRandom(7);
    for (int trial = 0; trial < 200; trial++) {
      double[] x = random.ints(2 + random.nextInt(8), 0, 6).asDoubleStream().toArray();
      double[] y = random.ints(2 + random.nextInt(8), 0, 6).asDoubleStream().toArray();
      double u = MannWhitneyUTest.withDefaults().statistic(x, y);
      assertEquals(u / (x.length * y.length), Aggregates.probabilityOfImprovement(x, y), 1e-12);
    }
  }

  @Test
  void overSeveralTasksTheProbabilitiesAreAveraged() {
    List<double[]> x = List.of(new double[] {3, 5, 7}, new double[] {1, 1});
    List<double[]> y = List.of(new double[] {2, 5, 6}, new double[] {2});
    assertEquals((5.5 / 9 + 0) / 2, Aggregates.probabilityOfImprovement(x, y), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> Aggregates.probabilityOfImprovement(x, y.subList(0, 1)));
  }

  @Test
  void theInterquartileMeanCutsAQuarterAtEachEnd() {
    // 8 values: 2 cut at each end, the mean of 3, 4, 5, 6; the outlier 100 does not count.
    assertEquals(4.5, Aggregates.iqm(List.of(new double[] {7, 100, 1, 3, 5, 2, 6, 4})), 1e-15);
    // Pooled over tasks: the same 8 values in two games give the same IQM.
    assertEquals(4.5, Aggregates.iqm(List.of(new double[] {7, 100, 1, 3}, new double[] {5, 2, 6, 4})), 1e-15);
    // scipy's trim_mean cuts floor(n / 4): 1 of 6 at each end, 0 of 3.
    assertEquals(3.5, Aggregates.iqm(List.of(new double[] {1, 2, 3, 4, 5, 6})), 1e-15);
    assertEquals(5, Aggregates.iqm(List.of(new double[] {1, 2, 12})), 1e-15);
  }

  @Test
  void theMeanOfNothingIsAnError() {
    assertEquals(2.5, Aggregates.mean(new double[] {1, 2, 3, 4}), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> Aggregates.mean(new double[0]));
  }
}
