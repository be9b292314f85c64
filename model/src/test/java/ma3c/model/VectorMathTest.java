package ma3c.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The products' every path (two vectors of columns, one, the scalar tail; blocks of four rows and
 * the rows left over; transposed and sparse views of A) against plain loops in double precision.
 */
class VectorMathTest {
  private static final int L = FloatVector.SPECIES_PREFERRED.length();

  /** Columns: pairs of vectors, a single vector and a tail; rows: two blocks of four and 3 more. */
  @ParameterizedTest
  @ValueSource(ints = {1, 5, 20})
  void gemmMatchesPlainLoops(int k) {
    int m = 11;
    int n = 5 * L + 3;
    SplittableRandom random = new SplittableRandom(k);
    float[] a = values(random, m * k, 0.3);
    float[] b = values(random, k * n, 0);
    float[] c = values(random, m * n, 0);
    double[] expected = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = c[i * n + j];
        for (int p = 0; p < k; p++) {
          s += (double) a[i * k + p] * b[p * n + j];
        }
        expected[i * n + j] = s;
      }
    }
    VectorMath.gemm(m, n, k, a, 0, k, 1, b, 0, n, c, 0, n);
    for (int i = 0; i < m * n; i++) {
      assertEquals(expected[i], c[i], 1e-5 * (1 + Math.abs(expected[i])), "element " + i);
    }
  }

  /** A as a transposed view (aRow 1, aCol m), and only some rows of C, the others untouched. */
  @ParameterizedTest
  @ValueSource(ints = {3, 20})
  void gemmRowsOfATransposedViewTouchOnlyThoseRows(int k) {
    int m = 13;
    int n = 2 * L + 1;
    int[] rows = {0, 2, 3, 5, 8, 9, 12};
    SplittableRandom random = new SplittableRandom(7 * k);
    float[] at = values(random, k * m, 0); // A^T, k x m
    float[] b = values(random, k * n, 0);
    float[] c = values(random, m * n, 0);
    float[] before = c.clone();
    VectorMath.gemmRows(rows, rows.length, n, k, at, 0, 1, m, b, 0, n, c, 0, n);
    for (int i = 0; i < m; i++) {
      int row = i;
      boolean chosen = Arrays.stream(rows).anyMatch(r -> r == row);
      for (int j = 0; j < n; j++) {
        double s = before[i * n + j];
        if (chosen) {
          for (int p = 0; p < k; p++) {
            s += (double) at[p * m + i] * b[p * n + j];
          }
        }
        assertEquals(s, c[i * n + j], 1e-5 * (1 + Math.abs(s)), "row " + i + ", column " + j);
      }
    }
  }

  /**
   * The channels-last convolution and its weight gradient, on 11 positions (a block of eight and
   * three more) and 13 taps (eight and five), against plain loops.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void channelsLastConvolutionMatchesPlainLoops(int vectors) {
    int c = vectors * L;
    int positions = 11;
    int k = 13;
    SplittableRandom random = new SplittableRandom(c);
    float[] x = values(random, 400, 0.2);
    int[] at = new int[positions];
    int[] taps = new int[k];
    for (int p = 0; p < positions; p++) {
      at[p] = 3 * p;
    }
    for (int j = 0; j < k; j++) {
      taps[j] = 7 * j + j % 3;
    }
    float[] wT = values(random, k * c, 0);
    float[] out = values(random, positions * c, 0);
    double[] expected = new double[positions * c];
    for (int p = 0; p < positions; p++) {
      for (int o = 0; o < c; o++) {
        double s = out[p * c + o];
        for (int j = 0; j < k; j++) {
          s += (double) wT[j * c + o] * x[5 + at[p] + taps[j]];
        }
        expected[p * c + o] = s;
      }
    }
    VectorMath.convChannelsLast(positions, at, k, taps, x, 5, wT, c, out);
    for (int i = 0; i < out.length; i++) {
      assertEquals(expected[i], out[i], 1e-5 * (1 + Math.abs(expected[i])), "output " + i);
    }
    float[] dOut = values(random, positions * c, 0.5);
    float[] gT = values(random, k * c, 0);
    double[] expectedGradient = new double[k * c];
    for (int j = 0; j < k; j++) {
      for (int o = 0; o < c; o++) {
        double s = gT[j * c + o];
        for (int p = 0; p < positions; p++) {
          s += (double) dOut[p * c + o] * x[5 + at[p] + taps[j]];
        }
        expectedGradient[j * c + o] = s;
      }
    }
    VectorMath.convChannelsLastWeightGradient(positions, at, k, taps, x, 5, dOut, c, gT);
    for (int i = 0; i < gT.length; i++) {
      assertEquals(expectedGradient[i], gT[i], 1e-5 * (1 + Math.abs(expectedGradient[i])), "gradient " + i);
    }
  }

  /**
   * The channels-last input gradient, with windows that overlap, 11 taps (eight and three more)
   * and a third of the output gradient 0, against plain loops; it counts the outputs it used.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void channelsLastInputGradientMatchesPlainLoops(int vectors) {
    int ci = vectors * L;
    int c = 5;
    int positions = 7;
    int k = 11;
    SplittableRandom random = new SplittableRandom(ci + 1);
    int[] at = new int[positions];
    int[] taps = new int[k];
    for (int p = 0; p < positions; p++) {
      at[p] = 2 * p;
    }
    for (int j = 0; j < k; j++) {
      taps[j] = j + j / 4;
    }
    int inputs = at[positions - 1] + taps[k - 1] + 1;
    float[] dOut = values(random, positions * c, 0.33);
    float[] w = values(random, c * k * ci, 0);
    float[] dIn = values(random, inputs * ci, 0);
    double[] expected = new double[dIn.length];
    for (int i = 0; i < dIn.length; i++) {
      expected[i] = dIn[i];
    }
    int nonZero = 0;
    for (int p = 0; p < positions; p++) {
      for (int o = 0; o < c; o++) {
        nonZero += dOut[p * c + o] != 0 ? 1 : 0;
        for (int j = 0; j < k; j++) {
          for (int i = 0; i < ci; i++) {
            expected[(at[p] + taps[j]) * ci + i] += (double) dOut[p * c + o] * w[(o * k + j) * ci + i];
          }
        }
      }
    }
    assertEquals(nonZero, VectorMath.convChannelsLastInputGradient(positions, at, k, taps, dOut, c, w, ci, dIn));
    for (int i = 0; i < dIn.length; i++) {
      assertEquals(expected[i], dIn[i], 1e-5 * (1 + Math.abs(expected[i])), "input gradient " + i);
    }
  }

  /**
   * conv1's 8x8 stride-4 kernels against the general channels-last ones (checked against plain
   * loops above): two planes, six positions a row (a pass of five and one more).
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void conv8x8Stride4MatchesTheGeneralKernels(int vectors) {
    int c = vectors * L;
    int frames = 2;
    int side = 6;
    int width = 4 * (side - 1) + 8;
    int k = frames * 64;
    SplittableRandom random = new SplittableRandom(c + 2);
    float[] x = values(random, 3 + frames * width * width, 0.3);
    int[] at = new int[side * side];
    int[] taps = new int[k];
    for (int oy = 0; oy < side; oy++) {
      for (int ox = 0; ox < side; ox++) {
        at[oy * side + ox] = 4 * oy * width + 4 * ox;
      }
    }
    for (int j = 0; j < k; j++) {
      taps[j] = ((j / 64) * width + (j / 8) % 8) * width + j % 8;
    }
    float[] wT = values(random, k * c, 0);
    float[] out = values(random, side * side * c, 0);
    float[] expected = out.clone();
    VectorMath.convChannelsLast(side * side, at, k, taps, x, 3, wT, c, expected);
    VectorMath.conv8x8Stride4(frames, width, side, x, 3, wT, c, out);
    for (int i = 0; i < out.length; i++) {
      assertEquals(expected[i], out[i], 1e-5 * (1 + Math.abs(expected[i])), "output " + i);
    }
    float[] dOut = values(random, side * side * c, 0.5);
    float[] gT = values(random, k * c, 0);
    float[] expectedGradient = gT.clone();
    VectorMath.convChannelsLastWeightGradient(side * side, at, k, taps, x, 3, dOut, c, expectedGradient);
    VectorMath.conv8x8Stride4WeightGradient(frames, width, side, x, 3, dOut, c, gT);
    for (int i = 0; i < gT.length; i++) {
      assertEquals(expectedGradient[i], gT[i], 1e-5 * (1 + Math.abs(expectedGradient[i])), "gradient " + i);
    }
  }

  /** The LSTM cell: whole vectors and the scalar tail, against the formulas in double precision. */
  @ParameterizedTest
  @ValueSource(ints = {3, 37})
  void lstmCellMatchesTheFormulas(int extra) {
    int h = 2 * L + extra;
    int at = 5;
    SplittableRandom random = new SplittableRandom(h);
    float[] gates = values(random, at * 4 + 4 * h, 0);
    for (int i = 0; i < gates.length; i++) {
      gates[i] *= 8; // well into the saturated ranges of sigmoid and tanh
    }
    float[] cPrev = values(random, at + h, 0);
    float[] before = gates.clone();
    float[] cell = new float[at + h];
    float[] tanhCell = new float[at + h];
    float[] out = new float[at + h];
    VectorMath.lstmCell(h, gates, at * 4, cPrev, cell, tanhCell, out, at);
    for (int j = 0; j < h; j++) {
      double i = 1 / (1 + Math.exp(-before[at * 4 + j]));
      double f = 1 / (1 + Math.exp(-before[at * 4 + h + j]));
      double g = Math.tanh(before[at * 4 + 2 * h + j]);
      double o = 1 / (1 + Math.exp(-before[at * 4 + 3 * h + j]));
      double c = f * cPrev[at + j] + i * g;
      assertEquals(i, gates[at * 4 + j], 1e-6, "i " + j);
      assertEquals(f, gates[at * 4 + h + j], 1e-6, "f " + j);
      assertEquals(g, gates[at * 4 + 2 * h + j], 1e-6, "g " + j);
      assertEquals(o, gates[at * 4 + 3 * h + j], 1e-6, "o " + j);
      assertEquals(c, cell[at + j], 1e-6, "c " + j);
      assertEquals(Math.tanh(c), tanhCell[at + j], 1e-6, "tanh c " + j);
      assertEquals(o * Math.tanh(c), out[at + j], 1e-6, "h " + j);
    }
  }

  /** Uniform in [-1, 1), a fraction {@code zeros} of them 0 (as after a ReLU). */
  private static float[] values(SplittableRandom random, int n, double zeros) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextDouble() < zeros ? 0f : (float) (2 * random.nextDouble() - 1);
    }
    return x;
  }
}
