package ma3c.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FrameBucketsTest {
  @Test
  void aFewEpisodesKeepEveryPoint() {
    FrameBuckets b = new FrameBuckets();
    b.add(1500, -21, -21);
    b.add(3500, -20, -19);
    b.add(5500, -19, -17);
    List<FrameBuckets.Point> points = b.downsample(100);
    assertEquals(List.of(new FrameBuckets.Point(1500, -21, -21, 1), new FrameBuckets.Point(3500, -20, -19, 1),
        new FrameBuckets.Point(5500, -19, -17, 1)), points);
  }

  @Test
  void pointsOfOneBucketKeepTheLatestScoreAndTheMeanReturn() {
    FrameBuckets b = new FrameBuckets();
    b.add(100, 1, 1);
    b.add(900, 3, 5);
    // Logged later by a slower thread, at fewer frames: not the bucket's end.
    b.add(500, 2, 3);
    assertEquals(List.of(new FrameBuckets.Point(900, 3, 3, 3)), b.downsample(10));
  }

  @Test
  void millionsOfEpisodesStayBoundedKeepTheirEndAndDownsampleToTheAskedPoints() {
    FrameBuckets b = new FrameBuckets();
    int n = 2_000_000;
    double sum = 0;
    for (int i = 1; i <= n; i++) {
      b.add(4000L * i, i / 1000.0, i % 7);
      sum += i % 7;
    }
    assertTrue(b.downsample(Integer.MAX_VALUE).size() <= FrameBuckets.CAPACITY, "bounded");
    List<FrameBuckets.Point> points = b.downsample(500);
    assertTrue(points.size() <= 500 && points.size() >= 250, points.size() + " points");
    FrameBuckets.Point last = points.get(points.size() - 1);
    assertEquals(4000L * n, last.frames());
    assertEquals(n / 1000.0, last.score());
    long episodes = 0;
    double returns = 0;
    for (int i = 0; i < points.size(); i++) {
      if (i > 0) {
        assertTrue(points.get(i).frames() > points.get(i - 1).frames(), "frames increase");
      }
      episodes += points.get(i).episodes();
      returns += points.get(i).meanReturn() * points.get(i).episodes();
    }
    assertEquals(n, episodes);
    assertEquals(sum, returns, 1e-6 * sum);
    // The shape survives: the score grows linearly with frames here.
    FrameBuckets.Point middle = points.get(points.size() / 2);
    assertEquals(middle.frames() / 4000.0 / 1000.0, middle.score(), 0.01);
  }

  @Test
  void noEpisodesNoPoints() {
    assertTrue(new FrameBuckets().downsample(10).isEmpty());
  }
}
