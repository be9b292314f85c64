package ma3c.dashboard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One learning curve at a bounded resolution: points (frames, score, episode return) fall into
 * buckets of equal width in frames; when the frames outgrow the buckets, neighbours merge and the
 * width doubles. Memory and the cost of drawing stay the same for a thousand episodes or for
 * millions, while the curve keeps its shape, its end (the latest score) and its x positions.
 */
final class FrameBuckets {
  /** A downsampled point: the last frames and score of its buckets, their mean return and count. */
  record Point(long frames, double score, double meanReturn, long episodes) {}

  static final int CAPACITY = 2048;
  private static final long FIRST_WIDTH = 1000;

  private long width = FIRST_WIDTH;
  private final long[] lastFrames = new long[CAPACITY];
  private final double[] lastScore = new double[CAPACITY];
  private final double[] sumReturn = new double[CAPACITY];
  private final long[] count = new long[CAPACITY];

  /** One episode: the frames of its game when it ended, the score then, its return. */
  void add(long frames, double score, double episodeReturn) {
    long x = Math.max(0, frames);
    while (x / width >= CAPACITY) {
      halve();
    }
    int i = (int) (x / width);
    // The score at the bucket's end: episodes of several threads may arrive slightly out of order.
    if (count[i] == 0 || x >= lastFrames[i]) {
      lastFrames[i] = x;
      lastScore[i] = score;
    }
    sumReturn[i] += episodeReturn;
    count[i]++;
  }

  private void halve() {
    for (int j = 0; j < CAPACITY / 2; j++) {
      int a = 2 * j;
      int b = a + 1;
      boolean bLater = count[b] > 0 && (count[a] == 0 || lastFrames[b] >= lastFrames[a]);
      lastFrames[j] = bLater ? lastFrames[b] : lastFrames[a];
      lastScore[j] = bLater ? lastScore[b] : lastScore[a];
      sumReturn[j] = sumReturn[a] + sumReturn[b];
      count[j] = count[a] + count[b];
    }
    Arrays.fill(lastFrames, CAPACITY / 2, CAPACITY, 0);
    Arrays.fill(lastScore, CAPACITY / 2, CAPACITY, 0);
    Arrays.fill(sumReturn, CAPACITY / 2, CAPACITY, 0);
    Arrays.fill(count, CAPACITY / 2, CAPACITY, 0);
    width *= 2;
  }

  /**
   * At most {@code points} points, in frame order: consecutive non-empty buckets grouped evenly,
   * each group giving its last frames and score (the curve's end is always the latest score).
   */
  List<Point> downsample(int points) {
    int filled = 0;
    for (long c : count) {
      filled += c > 0 ? 1 : 0;
    }
    List<Point> out = new ArrayList<>();
    if (filled == 0) {
      return out;
    }
    int perPoint = (filled + points - 1) / points;
    int inGroup = 0;
    double sum = 0;
    long n = 0;
    for (int i = 0; i < CAPACITY; i++) {
      if (count[i] == 0) {
        continue;
      }
      sum += sumReturn[i];
      n += count[i];
      filled--;
      if (++inGroup == perPoint || filled == 0) {
        out.add(new Point(lastFrames[i], lastScore[i], sum / n, n));
        inGroup = 0;
        sum = 0;
        n = 0;
      }
    }
    return out;
  }
}
