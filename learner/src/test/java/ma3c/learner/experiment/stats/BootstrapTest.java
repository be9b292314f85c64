package ma3c.learner.experiment.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapTest {
  /**
   * Efron &amp; Tibshirani, "An Introduction to the Bootstrap" (1993), Table 2.1: the survival
   * times of the 7 treated mice. The ideal bootstrap (B -> infinity) standard error of their mean
   * is the plug-in one, sqrt(sum (x - mean)^2) / n = 23.36 (their Table 2.2), not the usual
   * s / sqrt(n) = 25.24: resampling n of n with replacement has exactly that variance.
   */
  @Test
  void theMouseDataStandardErrorIsThePlugInOne() {
    double[] treated = {94, 197, 16, 38, 99, 141, 23};
    double mean = Aggregates.mean(treated);
    double squares = Arrays.stream(treated).map(x -> (x - mean) * (x - mean)).sum();
    double ideal = Math.sqrt(squares) / treated.length;
    assertEquals(23.36, ideal, 0.005, "the book's value");
    double se = Percentiles.standardError(new Bootstrap(100_000, 1).replicates(treated, Aggregates::mean));
    // Monte Carlo error of se_B at B = 100,000: about se / sqrt(2B) = 0.05.
    assertEquals(ideal, se, 0.25);
  }

  @Test
  void aConstantSampleResamplesToAPoint() {
    double[] same = {3.5, 3.5, 3.5, 3.5};
    Interval i = Percentiles.interval(Bootstrap.standard().replicates(same, Aggregates::mean), 0.95);
    assertEquals(new Interval(3.5, 3.5), i);
  }

  @Test
  void theSameDataGiveTheSameReplicatesWhateverCameBefore() {
    double[] x = {1, 5, 2, 8, 3};
    Bootstrap b = Bootstrap.standard();
    double[] first = b.replicates(x, Aggregates::mean);
    b.replicates(new double[] {9, 9, 1}, Aggregates::mean);
    assertArrayEquals(first, Bootstrap.standard().replicates(x, Aggregates::mean));
    assertFalse(Arrays.equals(first, new Bootstrap(Bootstrap.RESAMPLES, 30).replicates(x, Aggregates::mean)),
        "another generator seed, other resamples");
    assertEquals(Bootstrap.RESAMPLES, first.length);
  }

  /**
   * {@link Bootstrap#RESAMPLES} is enough that the generator's seed barely matters: five seeds'
   * scores, twenty generator seeds, each interval end within 5% of the interval's width of the
   * first (the resampled means of 5 seeds are lumpy: an end moves from one to the next).
   */
  @Test
  void anotherGeneratorSeedMovesTheIntervalLittle() {
    double[] scores = {38.1, 44.6, 53.4, 29.0, 47.7};
    Interval first = Percentiles.interval(Bootstrap.standard().replicates(scores, Aggregates::mean), 0.95);
    double width = first.high() - first.low();
    for (long seed = 1; seed <= 20; seed++) {
      Interval other = Percentiles.interval(
          new Bootstrap(Bootstrap.RESAMPLES, seed).replicates(scores, Aggregates::mean), 0.95);
      assertEquals(first.low(), other.low(), 0.05 * width, "seed " + seed);
      assertEquals(first.high(), other.high(), 0.05 * width, "seed " + seed);
    }
  }

  @Test
  void stratifiedResamplesKeepEveryTaskAndItsRuns() {
    List<double[]> tasks = List.of(new double[] {1, 2, 3}, new double[] {10, 20});
    // Encodes each resample's shape: a run of task 1 always comes from task 1.
    double[] shapes = new Bootstrap(1000, 3).stratified(tasks, resampled -> {
      assertEquals(3, resampled.get(0).length);
      assertEquals(2, resampled.get(1).length);
      assertTrue(Arrays.stream(resampled.get(0)).allMatch(v -> v <= 3));
      assertTrue(Arrays.stream(resampled.get(1)).allMatch(v -> v >= 10));
      return resampled.get(1)[0];
    });
    assertTrue(Arrays.stream(shapes).anyMatch(v -> v == 10) && Arrays.stream(shapes).anyMatch(v -> v == 20));
  }

  /** Hyndman &amp; Fan type 7, numpy's default: position (n - 1) p between order statistics. */
  @Test
  void percentilesInterpolateAsNumpyDoes() {
    assertEquals(new Interval(1.75, 3.25), Percentiles.interval(new double[] {4, 1, 3, 2}, 0.5));
    double[] hundredAndOne = new double[101];
    Arrays.setAll(hundredAndOne, i -> 101 - i);
    Interval ninety = Percentiles.interval(hundredAndOne, 0.9);
    assertEquals(6, ninety.low(), 1e-9);
    assertEquals(96, ninety.high(), 1e-9);
  }
}
