package ma3c.learner.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SummaryTest {
  @Test
  void theIntervalOfAConstantSampleIsAPoint() {
    Summary s = Summary.of(new double[] {21, 21, 21, 21}, 1);
    assertEquals(21, s.mean());
    assertEquals(21, s.ciLow());
    assertEquals(21, s.ciHigh());
    assertEquals(4, s.episodes());
    assertEquals(1, s.truncated());
  }

  /**
   * By hand: {1, 2, 3, 4, 5} has mean 3, sample standard deviation sqrt(2.5), standard error
   * sqrt(2.5 / 5) = 0.70711, and t(0.975, 4 df) = 2.77645 (any t table): 3 -/+ 1.96324.
   */
  @Test
  void theIntervalIsStudentsTOverTheEpisodes() {
    Summary s = Summary.of(new double[] {4, 2, 5, 1, 3}, 0);
    assertEquals(3, s.mean(), 1e-12);
    assertEquals(3 - 1.963243, s.ciLow(), 1e-5);
    assertEquals(3 + 1.963243, s.ciHigh(), 1e-5);
    assertEquals(1, s.min());
    assertEquals(5, s.max());
  }

  /** Two episodes: t(0.975, 1 df) = 12.7062; {0, 2}: mean 1, standard error 1. */
  @Test
  void twoEpisodesGiveAWideInterval() {
    Summary s = Summary.of(new double[] {0, 2}, 0);
    assertEquals(1 - 12.7062, s.ciLow(), 1e-4);
    assertEquals(1 + 12.7062, s.ciHigh(), 1e-4);
  }

  @Test
  void oneEpisodeHasNoInterval() {
    Summary s = Summary.of(new double[] {-3}, 0);
    assertEquals(-3, s.mean());
    assertTrue(Double.isNaN(s.ciLow()) && Double.isNaN(s.ciHigh()));
  }
}
