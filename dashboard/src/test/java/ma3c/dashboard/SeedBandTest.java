package ma3c.dashboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeedBandTest {
  private static FrameBuckets.Point p(long frames, double score) {
    return new FrameBuckets.Point(frames, score, score, 1);
  }

  @Test
  void meanAndRangeOverTheSeedsOnTheFramesAllHaveReached() {
    List<FrameBuckets.Point> a = List.of(p(0, 0), p(100, 10), p(200, 20), p(300, 30));
    List<FrameBuckets.Point> b = List.of(p(0, 2), p(100, 4), p(200, 6));
    SeedBand.Band band = SeedBand.of(List.of(a, b), 3);
    assertArrayEquals(new long[] {0, 100, 200}, band.frames(), "the slower seed ends the band");
    assertArrayEquals(new double[] {1, 7, 13}, band.mean());
    assertArrayEquals(new double[] {0, 4, 6}, band.low());
    assertArrayEquals(new double[] {2, 10, 20}, band.high());
    assertEquals(2, band.seeds());
  }

  @Test
  void betweenPointsASeedKeepsItsLastScore() {
    List<FrameBuckets.Point> a = List.of(p(0, 0), p(100, 10));
    List<FrameBuckets.Point> b = List.of(p(0, 0), p(40, 4), p(100, 10));
    SeedBand.Band band = SeedBand.of(List.of(a, b), 5);
    assertArrayEquals(new long[] {0, 25, 50, 75, 100}, band.frames());
    assertArrayEquals(new double[] {0, 0, 2, 2, 10}, band.mean());
  }

  @Test
  void seedsThatDoNotOverlapGiveNoBand() {
    SeedBand.Band band = SeedBand.of(List.of(List.of(p(0, 1), p(10, 1)), List.of(p(50, 1), p(60, 1))), 10);
    assertEquals(0, band.frames().length);
  }
}
