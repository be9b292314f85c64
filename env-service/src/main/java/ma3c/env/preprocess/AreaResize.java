package ma3c.env.preprocess;

import java.util.Arrays;

/**
 * Resizes a single-channel uint8 image by pixel-area averaging (OpenCV's INTER_AREA): each output
 * pixel is the mean of the source area it covers, with fractional weights at the borders. Done as
 * two separable passes with weights computed once. Not thread-safe (it keeps a scratch buffer).
 */
public final class AreaResize {
  private final int srcHeight;
  private final int srcWidth;
  private final int dstHeight;
  private final int dstWidth;
  private final Taps rows;
  private final Taps cols;
  private final float[] scratch;

  public AreaResize(int srcHeight, int srcWidth, int dstHeight, int dstWidth) {
    this.srcHeight = srcHeight;
    this.srcWidth = srcWidth;
    this.dstHeight = dstHeight;
    this.dstWidth = dstWidth;
    this.rows = Taps.area(srcHeight, dstHeight);
    this.cols = Taps.area(srcWidth, dstWidth);
    this.scratch = new float[dstHeight * srcWidth];
  }

  public int outputLength() {
    return dstHeight * dstWidth;
  }

  /** Resizes {@code src} (row-major srcHeight x srcWidth) into {@code dst}. */
  public void apply(byte[] src, byte[] dst) {
    // Rows first, over whole contiguous rows (half the cost of columns first), then columns.
    for (int y = 0; y < dstHeight; y++) {
      int row = y * srcWidth;
      Arrays.fill(scratch, row, row + srcWidth, 0f);
      for (int t = rows.start[y]; t < rows.start[y + 1]; t++) {
        float w = rows.weight[t];
        int in = rows.index[t] * srcWidth;
        for (int x = 0; x < srcWidth; x++) {
          scratch[row + x] += w * (src[in + x] & 0xFF);
        }
      }
      int out = y * dstWidth;
      for (int x = 0; x < dstWidth; x++) {
        float sum = 0f;
        for (int t = cols.start[x]; t < cols.start[x + 1]; t++) {
          sum += cols.weight[t] * scratch[row + cols.index[t]];
        }
        dst[out + x] = (byte) Math.min(255, (int) (sum + 0.5f));
      }
    }
  }

  /** For each output position, the source indices it covers and their weights (summing to 1). */
  private static final class Taps {
    final int[] start;
    final int[] index;
    final float[] weight;

    private Taps(int[] start, int[] index, float[] weight) {
      this.start = start;
      this.index = index;
      this.weight = weight;
    }

    static Taps area(int srcSize, int dstSize) {
      double scale = (double) srcSize / dstSize;
      int[] start = new int[dstSize + 1];
      int[] index = new int[dstSize * ((int) Math.ceil(scale) + 2)];
      float[] weight = new float[index.length];
      int n = 0;
      for (int d = 0; d < dstSize; d++) {
        start[d] = n;
        double from = d * scale;
        double to = Math.min(srcSize, (d + 1) * scale);
        for (int s = (int) Math.floor(from); s < to; s++) {
          double overlap = Math.min(to, s + 1) - Math.max(from, s);
          if (overlap > 1e-9) {
            index[n] = s;
            weight[n] = (float) (overlap / scale);
            n++;
          }
        }
      }
      start[dstSize] = n;
      return new Taps(start, index, weight);
    }
  }
}
