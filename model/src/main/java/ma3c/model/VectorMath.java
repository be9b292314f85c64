package ma3c.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dense kernels of the engine on plain {@code float[]}, with Java's Vector API (SIMD through
 * C2; AVX-512 where the CPU has it). Measured on the project's machine against the OpenBLAS that
 * nd4j-native ships, called through JavaCPP on off-heap memory (BENCHMARKS.md): conv1 forward
 * [16x256]x[256x400] 0.032 ms vs 0.066 ms, fc forward batch 1 [1x2592]x[2592x256] 0.071 ms vs
 * 0.31 ms; so no native BLAS and no off-heap copies of the parameters.
 *
 * <p>All matrices are row-major; every kernel ACCUMULATES into its output.
 */
public final class VectorMath {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  // Sixteen accumulators fit the registers only with AVX-512's 32 (512-bit vectors imply them).
  private static final boolean TWO_VECTOR_BLOCKS = S.vectorBitSize() >= 512;

  private VectorMath() {}

  /**
   * C[m x n] += A[m x k] B[k x n], where A's element (i, p) is {@code a[aOff + i*aRow + p*aCol]}
   * (so A may be a transposed view) and B, C are row-major with leading dimensions ldb, ldc.
   * Rows of C go four at a time (each loaded vector of B feeds four FMAs), over two vectors of
   * columns at a time where there are two (each broadcast of A feeds two); leftover rows as
   * saxpy passes that skip zero entries of A (ReLU outputs are mostly zeros).
   */
  static void gemm(int m, int n, int k, float[] a, int aOff, int aRow, int aCol,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    gemmRows(null, m, n, k, a, aOff, aRow, aCol, b, bOff, ldb, c, cOff, ldc);
  }

  /**
   * {@link #gemm} on the rows {@code rows[0..count)} of A and C only (all rows when rows is null):
   * the weight gradients skip the inputs that were 0 at every step of a rollout (their rows of
   * the gradient stay 0), found by {@link #liveColumns}.
   */
  static void gemmRows(int[] rows, int count, int n, int k, float[] a, int aOff, int aRow,
      int aCol, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    int r = 0;
    int vecEnd = S.loopBound(n);
    for (; r + 4 <= count; r += 4) {
      int i0 = rows == null ? r : rows[r];
      int i1 = rows == null ? r + 1 : rows[r + 1];
      int i2 = rows == null ? r + 2 : rows[r + 2];
      int i3 = rows == null ? r + 3 : rows[r + 3];
      int a0 = aOff + i0 * aRow;
      int a1 = aOff + i1 * aRow;
      int a2 = aOff + i2 * aRow;
      int a3 = aOff + i3 * aRow;
      int c0 = cOff + i0 * ldc;
      int c1 = cOff + i1 * ldc;
      int c2 = cOff + i2 * ldc;
      int c3 = cOff + i3 * ldc;
      int j = 0;
      // Two vectors of columns at a time: eight independent FMA chains cover the FMA latency on
      // both ports (four leave half of them idle), and each broadcast of A feeds two FMAs.
      for (; j + 2 * L <= vecEnd; j += 2 * L) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector t0 = s0;
        FloatVector t1 = s0;
        FloatVector t2 = s0;
        FloatVector t3 = s0;
        for (int p = 0; p < k; p++) {
          int bp = bOff + p * ldb + j;
          FloatVector bv = FloatVector.fromArray(S, b, bp);
          FloatVector bw = FloatVector.fromArray(S, b, bp + L);
          int ap = p * aCol;
          FloatVector x0 = FloatVector.broadcast(S, a[a0 + ap]);
          FloatVector x1 = FloatVector.broadcast(S, a[a1 + ap]);
          FloatVector x2 = FloatVector.broadcast(S, a[a2 + ap]);
          FloatVector x3 = FloatVector.broadcast(S, a[a3 + ap]);
          s0 = bv.fma(x0, s0);
          s1 = bv.fma(x1, s1);
          s2 = bv.fma(x2, s2);
          s3 = bv.fma(x3, s3);
          t0 = bw.fma(x0, t0);
          t1 = bw.fma(x1, t1);
          t2 = bw.fma(x2, t2);
          t3 = bw.fma(x3, t3);
        }
        FloatVector.fromArray(S, c, c0 + j).add(s0).intoArray(c, c0 + j);
        FloatVector.fromArray(S, c, c1 + j).add(s1).intoArray(c, c1 + j);
        FloatVector.fromArray(S, c, c2 + j).add(s2).intoArray(c, c2 + j);
        FloatVector.fromArray(S, c, c3 + j).add(s3).intoArray(c, c3 + j);
        FloatVector.fromArray(S, c, c0 + j + L).add(t0).intoArray(c, c0 + j + L);
        FloatVector.fromArray(S, c, c1 + j + L).add(t1).intoArray(c, c1 + j + L);
        FloatVector.fromArray(S, c, c2 + j + L).add(t2).intoArray(c, c2 + j + L);
        FloatVector.fromArray(S, c, c3 + j + L).add(t3).intoArray(c, c3 + j + L);
      }
      for (; j < vecEnd; j += L) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        for (int p = 0; p < k; p++) {
          FloatVector bv = FloatVector.fromArray(S, b, bOff + p * ldb + j);
          int ap = p * aCol;
          s0 = bv.fma(FloatVector.broadcast(S, a[a0 + ap]), s0);
          s1 = bv.fma(FloatVector.broadcast(S, a[a1 + ap]), s1);
          s2 = bv.fma(FloatVector.broadcast(S, a[a2 + ap]), s2);
          s3 = bv.fma(FloatVector.broadcast(S, a[a3 + ap]), s3);
        }
        FloatVector.fromArray(S, c, c0 + j).add(s0).intoArray(c, c0 + j);
        FloatVector.fromArray(S, c, c1 + j).add(s1).intoArray(c, c1 + j);
        FloatVector.fromArray(S, c, c2 + j).add(s2).intoArray(c, c2 + j);
        FloatVector.fromArray(S, c, c3 + j).add(s3).intoArray(c, c3 + j);
      }
      for (; j < n; j++) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        for (int p = 0; p < k; p++) {
          float bv = b[bOff + p * ldb + j];
          int ap = p * aCol;
          s0 += a[a0 + ap] * bv;
          s1 += a[a1 + ap] * bv;
          s2 += a[a2 + ap] * bv;
          s3 += a[a3 + ap] * bv;
        }
        c[c0 + j] += s0;
        c[c1 + j] += s1;
        c[c2 + j] += s2;
        c[c3 + j] += s3;
      }
    }
    for (; r < count; r++) {
      int i = rows == null ? r : rows[r];
      int ai = aOff + i * aRow;
      int ci = cOff + i * ldc;
      for (int p = 0; p < k; p++) {
        float av = a[ai + p * aCol];
        if (av != 0f) {
          axpy(n, av, b, bOff + p * ldb, c, ci);
        }
      }
    }
  }

  /**
   * A convolution read in place, its {@code c} output channels (a multiple of the vector length)
   * as the vectors' lanes: out[p][0..c) += sum_j wT[j][0..c) * x[xOff + at[p] + taps[j]] for
   * each output position p, where {@code at[p]} is where p's window starts in x and
   * {@code taps[j]} where its tap j sits in the window. No unfolded copy of the input (im2col) is
   * made; eight positions at a time, so that each loaded row of wT feeds eight independent FMAs.
   */
  static void convChannelsLast(int positions, int[] at, int k, int[] taps, float[] x, int xOff,
      float[] wT, int c, float[] out) {
    int cb = 0;
    if (TWO_VECTOR_BLOCKS) {
      for (; cb + 2 * L <= c; cb += 2 * L) {
        convTwoVectors(positions, at, k, taps, x, xOff, wT, c, out, cb);
      }
    }
    for (; cb < c; cb += L) {
      int p = 0;
      for (; p + 8 <= positions; p += 8) {
        int x0 = xOff + at[p];
        int x1 = xOff + at[p + 1];
        int x2 = xOff + at[p + 2];
        int x3 = xOff + at[p + 3];
        int x4 = xOff + at[p + 4];
        int x5 = xOff + at[p + 5];
        int x6 = xOff + at[p + 6];
        int x7 = xOff + at[p + 7];
        int o0 = p * c + cb;
        FloatVector s0 = FloatVector.fromArray(S, out, o0);
        FloatVector s1 = FloatVector.fromArray(S, out, o0 + c);
        FloatVector s2 = FloatVector.fromArray(S, out, o0 + 2 * c);
        FloatVector s3 = FloatVector.fromArray(S, out, o0 + 3 * c);
        FloatVector s4 = FloatVector.fromArray(S, out, o0 + 4 * c);
        FloatVector s5 = FloatVector.fromArray(S, out, o0 + 5 * c);
        FloatVector s6 = FloatVector.fromArray(S, out, o0 + 6 * c);
        FloatVector s7 = FloatVector.fromArray(S, out, o0 + 7 * c);
        for (int j = 0; j < k; j++) {
          FloatVector w = FloatVector.fromArray(S, wT, j * c + cb);
          int tap = taps[j];
          s0 = w.fma(FloatVector.broadcast(S, x[x0 + tap]), s0);
          s1 = w.fma(FloatVector.broadcast(S, x[x1 + tap]), s1);
          s2 = w.fma(FloatVector.broadcast(S, x[x2 + tap]), s2);
          s3 = w.fma(FloatVector.broadcast(S, x[x3 + tap]), s3);
          s4 = w.fma(FloatVector.broadcast(S, x[x4 + tap]), s4);
          s5 = w.fma(FloatVector.broadcast(S, x[x5 + tap]), s5);
          s6 = w.fma(FloatVector.broadcast(S, x[x6 + tap]), s6);
          s7 = w.fma(FloatVector.broadcast(S, x[x7 + tap]), s7);
        }
        s0.intoArray(out, o0);
        s1.intoArray(out, o0 + c);
        s2.intoArray(out, o0 + 2 * c);
        s3.intoArray(out, o0 + 3 * c);
        s4.intoArray(out, o0 + 4 * c);
        s5.intoArray(out, o0 + 5 * c);
        s6.intoArray(out, o0 + 6 * c);
        s7.intoArray(out, o0 + 7 * c);
      }
      for (; p < positions; p++) {
        int xp = xOff + at[p];
        FloatVector s0 = FloatVector.fromArray(S, out, p * c + cb);
        for (int j = 0; j < k; j++) {
          s0 = FloatVector.fromArray(S, wT, j * c + cb).fma(FloatVector.broadcast(S, x[xp + taps[j]]), s0);
        }
        s0.intoArray(out, p * c + cb);
      }
    }
  }

  /**
   * The weight gradient of {@link #convChannelsLast}: gT[j][0..c) += sum_p dOut[p][0..c) *
   * x[xOff + at[p] + taps[j]], eight taps at a time (each loaded row of dOut feeds eight FMAs).
   */
  static void convChannelsLastWeightGradient(int positions, int[] at, int k, int[] taps, float[] x,
      int xOff, float[] dOut, int c, float[] gT) {
    int cb = 0;
    if (TWO_VECTOR_BLOCKS) {
      for (; cb + 2 * L <= c; cb += 2 * L) {
        convWeightGradientTwoVectors(positions, at, k, taps, x, xOff, dOut, c, gT, cb);
      }
    }
    for (; cb < c; cb += L) {
      int j = 0;
      for (; j + 8 <= k; j += 8) {
        int t0 = xOff + taps[j];
        int t1 = xOff + taps[j + 1];
        int t2 = xOff + taps[j + 2];
        int t3 = xOff + taps[j + 3];
        int t4 = xOff + taps[j + 4];
        int t5 = xOff + taps[j + 5];
        int t6 = xOff + taps[j + 6];
        int t7 = xOff + taps[j + 7];
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector s4 = s0;
        FloatVector s5 = s0;
        FloatVector s6 = s0;
        FloatVector s7 = s0;
        for (int p = 0; p < positions; p++) {
          FloatVector d = FloatVector.fromArray(S, dOut, p * c + cb);
          int a = at[p];
          s0 = d.fma(FloatVector.broadcast(S, x[t0 + a]), s0);
          s1 = d.fma(FloatVector.broadcast(S, x[t1 + a]), s1);
          s2 = d.fma(FloatVector.broadcast(S, x[t2 + a]), s2);
          s3 = d.fma(FloatVector.broadcast(S, x[t3 + a]), s3);
          s4 = d.fma(FloatVector.broadcast(S, x[t4 + a]), s4);
          s5 = d.fma(FloatVector.broadcast(S, x[t5 + a]), s5);
          s6 = d.fma(FloatVector.broadcast(S, x[t6 + a]), s6);
          s7 = d.fma(FloatVector.broadcast(S, x[t7 + a]), s7);
        }
        int g0 = j * c + cb;
        FloatVector.fromArray(S, gT, g0).add(s0).intoArray(gT, g0);
        FloatVector.fromArray(S, gT, g0 + c).add(s1).intoArray(gT, g0 + c);
        FloatVector.fromArray(S, gT, g0 + 2 * c).add(s2).intoArray(gT, g0 + 2 * c);
        FloatVector.fromArray(S, gT, g0 + 3 * c).add(s3).intoArray(gT, g0 + 3 * c);
        FloatVector.fromArray(S, gT, g0 + 4 * c).add(s4).intoArray(gT, g0 + 4 * c);
        FloatVector.fromArray(S, gT, g0 + 5 * c).add(s5).intoArray(gT, g0 + 5 * c);
        FloatVector.fromArray(S, gT, g0 + 6 * c).add(s6).intoArray(gT, g0 + 6 * c);
        FloatVector.fromArray(S, gT, g0 + 7 * c).add(s7).intoArray(gT, g0 + 7 * c);
      }
      for (; j < k; j++) {
        int tj = xOff + taps[j];
        FloatVector s0 = FloatVector.zero(S);
        for (int p = 0; p < positions; p++) {
          s0 = FloatVector.fromArray(S, dOut, p * c + cb).fma(FloatVector.broadcast(S, x[tj + at[p]]), s0);
        }
        FloatVector.fromArray(S, gT, j * c + cb).add(s0).intoArray(gT, j * c + cb);
      }
    }
  }

  /**
   * conv1's case of {@link #convChannelsLast}: 8x8 windows at stride 4 over {@code frames} planes
   * of width x width pixels (plane-major), side x side outputs channels-last, c channels a whole
   * number of vectors; wT is [frame][ky][kx][c]. A pixel falls in two neighbouring windows of a
   * row (as their taps kx and kx + 4), so each broadcast feeds both; five positions of a row per
   * pass, their inputs at fixed offsets from one row start.
   */
  static void conv8x8Stride4(int frames, int width, int side, float[] x, int xOff, float[] wT,
      int c, float[] out) {
    for (int cb = 0; cb < c; cb += L) {
      for (int oy = 0; oy < side; oy++) {
        int ox = 0;
        for (; ox + 5 <= side; ox += 5) {
          int o = (oy * side + ox) * c + cb;
          FloatVector s0 = FloatVector.fromArray(S, out, o);
          FloatVector s1 = FloatVector.fromArray(S, out, o + c);
          FloatVector s2 = FloatVector.fromArray(S, out, o + 2 * c);
          FloatVector s3 = FloatVector.fromArray(S, out, o + 3 * c);
          FloatVector s4 = FloatVector.fromArray(S, out, o + 4 * c);
          for (int f = 0; f < frames; f++) {
            for (int ky = 0; ky < 8; ky++) {
              int row = xOff + (f * width + oy * 4 + ky) * width + ox * 4;
              int w0 = (f * 8 + ky) * 8 * c + cb;
              for (int m = 0; m < 4; m++) {
                FloatVector a = FloatVector.fromArray(S, wT, w0 + m * c);
                FloatVector b = FloatVector.fromArray(S, wT, w0 + (m + 4) * c);
                int r = row + m;
                FloatVector v = FloatVector.broadcast(S, x[r]);
                s0 = a.fma(v, s0);
                v = FloatVector.broadcast(S, x[r + 4]);
                s0 = b.fma(v, s0);
                s1 = a.fma(v, s1);
                v = FloatVector.broadcast(S, x[r + 8]);
                s1 = b.fma(v, s1);
                s2 = a.fma(v, s2);
                v = FloatVector.broadcast(S, x[r + 12]);
                s2 = b.fma(v, s2);
                s3 = a.fma(v, s3);
                v = FloatVector.broadcast(S, x[r + 16]);
                s3 = b.fma(v, s3);
                s4 = a.fma(v, s4);
                v = FloatVector.broadcast(S, x[r + 20]);
                s4 = b.fma(v, s4);
              }
            }
          }
          s0.intoArray(out, o);
          s1.intoArray(out, o + c);
          s2.intoArray(out, o + 2 * c);
          s3.intoArray(out, o + 3 * c);
          s4.intoArray(out, o + 4 * c);
        }
        for (; ox < side; ox++) {
          int o = (oy * side + ox) * c + cb;
          FloatVector s0 = FloatVector.fromArray(S, out, o);
          for (int f = 0; f < frames; f++) {
            for (int ky = 0; ky < 8; ky++) {
              int row = xOff + (f * width + oy * 4 + ky) * width + ox * 4;
              for (int kx = 0; kx < 8; kx++) {
                s0 = FloatVector.fromArray(S, wT, ((f * 8 + ky) * 8 + kx) * c + cb)
                    .fma(FloatVector.broadcast(S, x[row + kx]), s0);
              }
            }
          }
          s0.intoArray(out, o);
        }
      }
    }
  }

  /**
   * The weight gradient of {@link #conv8x8Stride4}: gT[f][ky][kx][0..c) += sum over positions of
   * dOut[p][0..c) times the pixel under tap (f, ky, kx). Eight taps (a row of the window) per
   * pass, each loaded row of dOut feeding eight FMAs, the pixels at fixed offsets from a row start.
   */
  static void conv8x8Stride4WeightGradient(int frames, int width, int side, float[] x, int xOff,
      float[] dOut, int c, float[] gT) {
    for (int cb = 0; cb < c; cb += L) {
      for (int f = 0; f < frames; f++) {
        for (int ky = 0; ky < 8; ky++) {
          FloatVector g0 = FloatVector.zero(S);
          FloatVector g1 = g0;
          FloatVector g2 = g0;
          FloatVector g3 = g0;
          FloatVector g4 = g0;
          FloatVector g5 = g0;
          FloatVector g6 = g0;
          FloatVector g7 = g0;
          // One loop over the positions, r the window's start in x: written as two nested loops
          // (rows, then positions) this kernel ran 40x slower on Java 17's C2.
          int r = xOff + (f * width + ky) * width;
          for (int p = 0, ox = 0; p < side * side; p++) {
            FloatVector d = FloatVector.fromArray(S, dOut, p * c + cb);
            g0 = d.fma(FloatVector.broadcast(S, x[r]), g0);
            g1 = d.fma(FloatVector.broadcast(S, x[r + 1]), g1);
            g2 = d.fma(FloatVector.broadcast(S, x[r + 2]), g2);
            g3 = d.fma(FloatVector.broadcast(S, x[r + 3]), g3);
            g4 = d.fma(FloatVector.broadcast(S, x[r + 4]), g4);
            g5 = d.fma(FloatVector.broadcast(S, x[r + 5]), g5);
            g6 = d.fma(FloatVector.broadcast(S, x[r + 6]), g6);
            g7 = d.fma(FloatVector.broadcast(S, x[r + 7]), g7);
            r += 4;
            if (++ox == side) {
              ox = 0;
              r += 4 * width - 4 * side;
            }
          }
          int g = (f * 8 + ky) * 8 * c + cb;
          addInto(gT, g, g0);
          addInto(gT, g + c, g1);
          addInto(gT, g + 2 * c, g2);
          addInto(gT, g + 3 * c, g3);
          addInto(gT, g + 4 * c, g4);
          addInto(gT, g + 5 * c, g5);
          addInto(gT, g + 6 * c, g6);
          addInto(gT, g + 7 * c, g7);
        }
      }
    }
  }

  /**
   * {@link #convChannelsLast} on channels [cb, cb + 2L): eight positions by two vectors, so that
   * each broadcast input feeds two FMAs as well as each loaded weight row eight.
   */
  private static void convTwoVectors(int positions, int[] at, int k, int[] taps, float[] x,
      int xOff, float[] wT, int c, float[] out, int cb) {
    int p = 0;
    for (; p + 8 <= positions; p += 8) {
      int x0 = xOff + at[p];
      int x1 = xOff + at[p + 1];
      int x2 = xOff + at[p + 2];
      int x3 = xOff + at[p + 3];
      int x4 = xOff + at[p + 4];
      int x5 = xOff + at[p + 5];
      int x6 = xOff + at[p + 6];
      int x7 = xOff + at[p + 7];
      int o0 = p * c + cb;
      int o1 = o0 + L;
      FloatVector s0 = FloatVector.fromArray(S, out, o0);
      FloatVector s1 = FloatVector.fromArray(S, out, o0 + c);
      FloatVector s2 = FloatVector.fromArray(S, out, o0 + 2 * c);
      FloatVector s3 = FloatVector.fromArray(S, out, o0 + 3 * c);
      FloatVector s4 = FloatVector.fromArray(S, out, o0 + 4 * c);
      FloatVector s5 = FloatVector.fromArray(S, out, o0 + 5 * c);
      FloatVector s6 = FloatVector.fromArray(S, out, o0 + 6 * c);
      FloatVector s7 = FloatVector.fromArray(S, out, o0 + 7 * c);
      FloatVector u0 = FloatVector.fromArray(S, out, o1);
      FloatVector u1 = FloatVector.fromArray(S, out, o1 + c);
      FloatVector u2 = FloatVector.fromArray(S, out, o1 + 2 * c);
      FloatVector u3 = FloatVector.fromArray(S, out, o1 + 3 * c);
      FloatVector u4 = FloatVector.fromArray(S, out, o1 + 4 * c);
      FloatVector u5 = FloatVector.fromArray(S, out, o1 + 5 * c);
      FloatVector u6 = FloatVector.fromArray(S, out, o1 + 6 * c);
      FloatVector u7 = FloatVector.fromArray(S, out, o1 + 7 * c);
      for (int j = 0; j < k; j++) {
        FloatVector w = FloatVector.fromArray(S, wT, j * c + cb);
        FloatVector v = FloatVector.fromArray(S, wT, j * c + cb + L);
        int tap = taps[j];
        FloatVector b = FloatVector.broadcast(S, x[x0 + tap]);
        s0 = w.fma(b, s0);
        u0 = v.fma(b, u0);
        b = FloatVector.broadcast(S, x[x1 + tap]);
        s1 = w.fma(b, s1);
        u1 = v.fma(b, u1);
        b = FloatVector.broadcast(S, x[x2 + tap]);
        s2 = w.fma(b, s2);
        u2 = v.fma(b, u2);
        b = FloatVector.broadcast(S, x[x3 + tap]);
        s3 = w.fma(b, s3);
        u3 = v.fma(b, u3);
        b = FloatVector.broadcast(S, x[x4 + tap]);
        s4 = w.fma(b, s4);
        u4 = v.fma(b, u4);
        b = FloatVector.broadcast(S, x[x5 + tap]);
        s5 = w.fma(b, s5);
        u5 = v.fma(b, u5);
        b = FloatVector.broadcast(S, x[x6 + tap]);
        s6 = w.fma(b, s6);
        u6 = v.fma(b, u6);
        b = FloatVector.broadcast(S, x[x7 + tap]);
        s7 = w.fma(b, s7);
        u7 = v.fma(b, u7);
      }
      s0.intoArray(out, o0);
      s1.intoArray(out, o0 + c);
      s2.intoArray(out, o0 + 2 * c);
      s3.intoArray(out, o0 + 3 * c);
      s4.intoArray(out, o0 + 4 * c);
      s5.intoArray(out, o0 + 5 * c);
      s6.intoArray(out, o0 + 6 * c);
      s7.intoArray(out, o0 + 7 * c);
      u0.intoArray(out, o1);
      u1.intoArray(out, o1 + c);
      u2.intoArray(out, o1 + 2 * c);
      u3.intoArray(out, o1 + 3 * c);
      u4.intoArray(out, o1 + 4 * c);
      u5.intoArray(out, o1 + 5 * c);
      u6.intoArray(out, o1 + 6 * c);
      u7.intoArray(out, o1 + 7 * c);
    }
    for (; p < positions; p++) {
      int xp = xOff + at[p];
      int o0 = p * c + cb;
      FloatVector s0 = FloatVector.fromArray(S, out, o0);
      FloatVector u0 = FloatVector.fromArray(S, out, o0 + L);
      for (int j = 0; j < k; j++) {
        FloatVector b = FloatVector.broadcast(S, x[xp + taps[j]]);
        s0 = FloatVector.fromArray(S, wT, j * c + cb).fma(b, s0);
        u0 = FloatVector.fromArray(S, wT, j * c + cb + L).fma(b, u0);
      }
      s0.intoArray(out, o0);
      u0.intoArray(out, o0 + L);
    }
  }

  /**
   * {@link #convChannelsLastWeightGradient} on channels [cb, cb + 2L): eight taps by two vectors,
   * so that each broadcast input feeds two FMAs as well as each loaded row of dOut eight.
   */
  private static void convWeightGradientTwoVectors(int positions, int[] at, int k, int[] taps,
      float[] x, int xOff, float[] dOut, int c, float[] gT, int cb) {
    int j = 0;
    for (; j + 8 <= k; j += 8) {
      int t0 = xOff + taps[j];
      int t1 = xOff + taps[j + 1];
      int t2 = xOff + taps[j + 2];
      int t3 = xOff + taps[j + 3];
      int t4 = xOff + taps[j + 4];
      int t5 = xOff + taps[j + 5];
      int t6 = xOff + taps[j + 6];
      int t7 = xOff + taps[j + 7];
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = s0;
      FloatVector s2 = s0;
      FloatVector s3 = s0;
      FloatVector s4 = s0;
      FloatVector s5 = s0;
      FloatVector s6 = s0;
      FloatVector s7 = s0;
      FloatVector u0 = s0;
      FloatVector u1 = s0;
      FloatVector u2 = s0;
      FloatVector u3 = s0;
      FloatVector u4 = s0;
      FloatVector u5 = s0;
      FloatVector u6 = s0;
      FloatVector u7 = s0;
      for (int p = 0; p < positions; p++) {
        FloatVector d = FloatVector.fromArray(S, dOut, p * c + cb);
        FloatVector e = FloatVector.fromArray(S, dOut, p * c + cb + L);
        int a = at[p];
        FloatVector b = FloatVector.broadcast(S, x[t0 + a]);
        s0 = d.fma(b, s0);
        u0 = e.fma(b, u0);
        b = FloatVector.broadcast(S, x[t1 + a]);
        s1 = d.fma(b, s1);
        u1 = e.fma(b, u1);
        b = FloatVector.broadcast(S, x[t2 + a]);
        s2 = d.fma(b, s2);
        u2 = e.fma(b, u2);
        b = FloatVector.broadcast(S, x[t3 + a]);
        s3 = d.fma(b, s3);
        u3 = e.fma(b, u3);
        b = FloatVector.broadcast(S, x[t4 + a]);
        s4 = d.fma(b, s4);
        u4 = e.fma(b, u4);
        b = FloatVector.broadcast(S, x[t5 + a]);
        s5 = d.fma(b, s5);
        u5 = e.fma(b, u5);
        b = FloatVector.broadcast(S, x[t6 + a]);
        s6 = d.fma(b, s6);
        u6 = e.fma(b, u6);
        b = FloatVector.broadcast(S, x[t7 + a]);
        s7 = d.fma(b, s7);
        u7 = e.fma(b, u7);
      }
      int g0 = j * c + cb;
      int g1 = g0 + L;
      addInto(gT, g0, s0);
      addInto(gT, g0 + c, s1);
      addInto(gT, g0 + 2 * c, s2);
      addInto(gT, g0 + 3 * c, s3);
      addInto(gT, g0 + 4 * c, s4);
      addInto(gT, g0 + 5 * c, s5);
      addInto(gT, g0 + 6 * c, s6);
      addInto(gT, g0 + 7 * c, s7);
      addInto(gT, g1, u0);
      addInto(gT, g1 + c, u1);
      addInto(gT, g1 + 2 * c, u2);
      addInto(gT, g1 + 3 * c, u3);
      addInto(gT, g1 + 4 * c, u4);
      addInto(gT, g1 + 5 * c, u5);
      addInto(gT, g1 + 6 * c, u6);
      addInto(gT, g1 + 7 * c, u7);
    }
    for (; j < k; j++) {
      int tj = xOff + taps[j];
      FloatVector s0 = FloatVector.zero(S);
      FloatVector u0 = s0;
      for (int p = 0; p < positions; p++) {
        FloatVector b = FloatVector.broadcast(S, x[tj + at[p]]);
        s0 = FloatVector.fromArray(S, dOut, p * c + cb).fma(b, s0);
        u0 = FloatVector.fromArray(S, dOut, p * c + cb + L).fma(b, u0);
      }
      addInto(gT, j * c + cb, s0);
      addInto(gT, j * c + cb + L, u0);
    }
  }

  /**
   * The input gradient of {@link #convChannelsLast} with its input channels-last as well:
   * dIn[(at[p] + taps[j]) * ci + i] += sum_o dOut[p * c + o] * w[(o * k + j) * ci + i] for i in
   * [0, ci), a whole number of vectors, where {@code at} and {@code taps} count input positions
   * (not floats). Straight into the input's layout, so no unfolded gradient is folded back; eight
   * taps at a time, so that each broadcast of dOut feeds eight FMAs, and only over the outputs
   * whose gradient is not 0 (ReLU's zeros), whose number it returns. Overlapping windows add up
   * in the order of p.
   */
  static int convChannelsLastInputGradient(int positions, int[] at, int k, int[] taps,
      float[] dOut, int c, float[] w, int ci, float[] dIn) {
    int[] live = new int[c];
    int used = 0;
    for (int p = 0; p < positions; p++) {
      int count = 0;
      for (int o = 0; o < c; o++) {
        // Without a branch: whether an output is 0 is as good as random.
        live[count] = o;
        count += dOut[p * c + o] != 0f ? 1 : 0;
      }
      used += count;
      if (count == 0) {
        continue;
      }
      for (int cb = 0; cb < ci; cb += L) {
        int j = 0;
        for (; j + 8 <= k; j += 8) {
          FloatVector s0 = FloatVector.zero(S);
          FloatVector s1 = s0;
          FloatVector s2 = s0;
          FloatVector s3 = s0;
          FloatVector s4 = s0;
          FloatVector s5 = s0;
          FloatVector s6 = s0;
          FloatVector s7 = s0;
          for (int n = 0; n < count; n++) {
            int o = live[n];
            FloatVector d = FloatVector.broadcast(S, dOut[p * c + o]);
            int w0 = (o * k + j) * ci + cb;
            s0 = FloatVector.fromArray(S, w, w0).fma(d, s0);
            s1 = FloatVector.fromArray(S, w, w0 + ci).fma(d, s1);
            s2 = FloatVector.fromArray(S, w, w0 + 2 * ci).fma(d, s2);
            s3 = FloatVector.fromArray(S, w, w0 + 3 * ci).fma(d, s3);
            s4 = FloatVector.fromArray(S, w, w0 + 4 * ci).fma(d, s4);
            s5 = FloatVector.fromArray(S, w, w0 + 5 * ci).fma(d, s5);
            s6 = FloatVector.fromArray(S, w, w0 + 6 * ci).fma(d, s6);
            s7 = FloatVector.fromArray(S, w, w0 + 7 * ci).fma(d, s7);
          }
          int a = at[p];
          addInto(dIn, (a + taps[j]) * ci + cb, s0);
          addInto(dIn, (a + taps[j + 1]) * ci + cb, s1);
          addInto(dIn, (a + taps[j + 2]) * ci + cb, s2);
          addInto(dIn, (a + taps[j + 3]) * ci + cb, s3);
          addInto(dIn, (a + taps[j + 4]) * ci + cb, s4);
          addInto(dIn, (a + taps[j + 5]) * ci + cb, s5);
          addInto(dIn, (a + taps[j + 6]) * ci + cb, s6);
          addInto(dIn, (a + taps[j + 7]) * ci + cb, s7);
        }
        for (; j < k; j++) {
          FloatVector s0 = FloatVector.zero(S);
          for (int n = 0; n < count; n++) {
            int o = live[n];
            s0 = FloatVector.fromArray(S, w, (o * k + j) * ci + cb)
                .fma(FloatVector.broadcast(S, dOut[p * c + o]), s0);
          }
          addInto(dIn, (at[p] + taps[j]) * ci + cb, s0);
        }
      }
    }
    return used;
  }

  private static void addInto(float[] y, int at, FloatVector v) {
    FloatVector.fromArray(S, y, at).add(v).intoArray(y, at);
  }

  /** Whether {@link #convChannelsLast} takes {@code channels} output channels (a whole number of vectors). */
  static boolean channelsFitVectors(int channels) {
    return channels % L == 0;
  }

  /**
   * C[m x n] += A[m x k] B[n x k]^T: dot products of A's rows with B's rows, four rows of A
   * against two rows of B at a time.
   */
  static void gemmNT(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
      int ldb, float[] c, int cOff, int ldc) {
    gemmNTColumns(m, null, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
  }

  /**
   * {@link #gemmNT} for the columns {@code cols[0..count)} of C only (all when cols is null): the
   * input gradients of a layer are needed only where its ReLU input was live at some step.
   */
  static void gemmNTColumns(int m, int[] cols, int count, int k, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    int r = 0;
    // Two columns of C at a time: each loaded vector of A then feeds two FMAs, not one.
    for (; r + 2 <= count; r += 2) {
      int j0 = cols == null ? r : cols[r];
      int j1 = cols == null ? r + 1 : cols[r + 1];
      int i = 0;
      for (; i + 4 <= m; i += 4) {
        dots4x2(k, a, aOff + i * lda, lda, b, bOff + j0 * ldb, bOff + j1 * ldb, c,
            cOff + i * ldc, ldc, j0, j1);
      }
      for (; i < m; i++) {
        c[cOff + i * ldc + j0] += dot(k, a, aOff + i * lda, b, bOff + j0 * ldb);
        c[cOff + i * ldc + j1] += dot(k, a, aOff + i * lda, b, bOff + j1 * ldb);
      }
    }
    for (; r < count; r++) {
      int j = cols == null ? r : cols[r];
      for (int i = 0; i < m; i++) {
        c[cOff + i * ldc + j] += dot(k, a, aOff + i * lda, b, bOff + j * ldb);
      }
    }
  }

  /**
   * C[i..i+4)[j0], C[i..i+4)[j1] += the dots of four rows of A (from a0, lda apart) with the rows
   * of B at b0 and b1: eight accumulators, six loads per eight FMAs.
   */
  private static void dots4x2(int k, float[] a, int a0, int lda, float[] b, int b0, int b1,
      float[] c, int c0, int ldc, int j0, int j1) {
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    FloatVector s00 = FloatVector.zero(S);
    FloatVector s01 = s00;
    FloatVector s10 = s00;
    FloatVector s11 = s00;
    FloatVector s20 = s00;
    FloatVector s21 = s00;
    FloatVector s30 = s00;
    FloatVector s31 = s00;
    int p = 0;
    for (int end = S.loopBound(k); p < end; p += L) {
      FloatVector x0 = FloatVector.fromArray(S, b, b0 + p);
      FloatVector x1 = FloatVector.fromArray(S, b, b1 + p);
      FloatVector y = FloatVector.fromArray(S, a, a0 + p);
      s00 = y.fma(x0, s00);
      s01 = y.fma(x1, s01);
      y = FloatVector.fromArray(S, a, a1 + p);
      s10 = y.fma(x0, s10);
      s11 = y.fma(x1, s11);
      y = FloatVector.fromArray(S, a, a2 + p);
      s20 = y.fma(x0, s20);
      s21 = y.fma(x1, s21);
      y = FloatVector.fromArray(S, a, a3 + p);
      s30 = y.fma(x0, s30);
      s31 = y.fma(x1, s31);
    }
    float r00 = s00.reduceLanes(VectorOperators.ADD);
    float r01 = s01.reduceLanes(VectorOperators.ADD);
    float r10 = s10.reduceLanes(VectorOperators.ADD);
    float r11 = s11.reduceLanes(VectorOperators.ADD);
    float r20 = s20.reduceLanes(VectorOperators.ADD);
    float r21 = s21.reduceLanes(VectorOperators.ADD);
    float r30 = s30.reduceLanes(VectorOperators.ADD);
    float r31 = s31.reduceLanes(VectorOperators.ADD);
    for (; p < k; p++) {
      float x0 = b[b0 + p];
      float x1 = b[b1 + p];
      r00 += a[a0 + p] * x0;
      r01 += a[a0 + p] * x1;
      r10 += a[a1 + p] * x0;
      r11 += a[a1 + p] * x1;
      r20 += a[a2 + p] * x0;
      r21 += a[a2 + p] * x1;
      r30 += a[a3 + p] * x0;
      r31 += a[a3 + p] * x1;
    }
    c[c0 + j0] += r00;
    c[c0 + j1] += r01;
    c[c0 + ldc + j0] += r10;
    c[c0 + ldc + j1] += r11;
    c[c0 + 2 * ldc + j0] += r20;
    c[c0 + 2 * ldc + j1] += r21;
    c[c0 + 3 * ldc + j0] += r30;
    c[c0 + 3 * ldc + j1] += r31;
  }

  /**
   * y[n] += x[m] W[m x n] (a row vector times a matrix, W row-major with leading dimension ldw):
   * 64 outputs at a time held in four vectors over one pass down W, skipping zero x[i] (ReLU
   * outputs are mostly zeros), so y is not reloaded per row as a chain of axpys would.
   */
  static void gemv(int m, int n, float[] x, int xOff, float[] w, int wOff, int ldw, float[] y,
      int yOff, int[] rows) {
    // The rows to visit, gathered first (into the caller's scratch, at least m long): a branch
    // inside the vector loop keeps C2 (JDK 17) from intrinsifying its FMAs, 10x slower then.
    int count = 0;
    for (int i = 0; i < m; i++) {
      if (x[xOff + i] != 0f) {
        rows[count++] = i;
      }
    }
    int j = 0;
    for (int end = n - 4 * L; j <= end; j += 4 * L) {
      FloatVector s0 = FloatVector.fromArray(S, y, yOff + j);
      FloatVector s1 = FloatVector.fromArray(S, y, yOff + j + L);
      FloatVector s2 = FloatVector.fromArray(S, y, yOff + j + 2 * L);
      FloatVector s3 = FloatVector.fromArray(S, y, yOff + j + 3 * L);
      for (int r = 0; r < count; r++) {
        int i = rows[r];
        FloatVector xv = FloatVector.broadcast(S, x[xOff + i]);
        int row = wOff + i * ldw + j;
        s0 = FloatVector.fromArray(S, w, row).fma(xv, s0);
        s1 = FloatVector.fromArray(S, w, row + L).fma(xv, s1);
        s2 = FloatVector.fromArray(S, w, row + 2 * L).fma(xv, s2);
        s3 = FloatVector.fromArray(S, w, row + 3 * L).fma(xv, s3);
      }
      s0.intoArray(y, yOff + j);
      s1.intoArray(y, yOff + j + L);
      s2.intoArray(y, yOff + j + 2 * L);
      s3.intoArray(y, yOff + j + 3 * L);
    }
    if (j < n) {
      for (int r = 0; r < count; r++) {
        axpy(n - j, x[xOff + rows[r]], w, wOff + rows[r] * ldw + j, y, yOff + j);
      }
    }
  }

  /**
   * The columns j in [0, n) of the row-major matrix x[steps x n] (rows ld apart, from xOff) that
   * are non-zero in at least one row, ascending, into cols; returns how many.
   */
  static int liveColumns(float[] x, int xOff, int ld, int steps, int n, int[] cols) {
    int count = 0;
    for (int j = 0; j < n; j++) {
      for (int t = 0; t < steps; t++) {
        if (x[xOff + t * ld + j] != 0f) {
          cols[count++] = j;
          break;
        }
      }
    }
    return count;
  }

  /** x[from..from+n) = max(x, 0). */
  static void relu(float[] x, int from, int n) {
    int j = from;
    for (int end = from + S.loopBound(n); j < end; j += L) {
      FloatVector.fromArray(S, x, j).max(0f).intoArray(x, j);
    }
    for (; j < from + n; j++) {
      x[j] = Math.max(x[j], 0f);
    }
  }

  /** y[yOff..] += alpha x[xOff..], n elements. */
  static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    int j = 0;
    for (int end = S.loopBound(n); j < end; j += L) {
      FloatVector.fromArray(S, x, xOff + j).fma(FloatVector.broadcast(S, alpha), FloatVector.fromArray(S, y, yOff + j))
          .intoArray(y, yOff + j);
    }
    for (; j < n; j++) {
      y[yOff + j] += alpha * x[xOff + j];
    }
  }

  static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
    FloatVector s = FloatVector.zero(S);
    int j = 0;
    for (int end = S.loopBound(n); j < end; j += L) {
      s = FloatVector.fromArray(S, x, xOff + j).fma(FloatVector.fromArray(S, y, yOff + j), s);
    }
    float r = s.reduceLanes(VectorOperators.ADD);
    for (; j < n; j++) {
      r += x[xOff + j] * y[yOff + j];
    }
    return r;
  }

  /** Sum of squares of x, accumulated in double lanes-wise per vector (for gradient norms). */
  public static double sumOfSquares(float[] x, int from, int n) {
    FloatVector s = FloatVector.zero(S);
    double total = 0;
    int j = from;
    int end = from + S.loopBound(n);
    int chunk = 0;
    for (; j < end; j += L) {
      FloatVector v = FloatVector.fromArray(S, x, j);
      s = v.fma(v, s);
      // Flush to double now and then: a float lane summing ~10^5 squares would lose digits.
      if (++chunk == 256) {
        total += s.reduceLanes(VectorOperators.ADD);
        s = FloatVector.zero(S);
        chunk = 0;
      }
    }
    total += s.reduceLanes(VectorOperators.ADD);
    for (; j < from + n; j++) {
      total += (double) x[j] * x[j];
    }
    return total;
  }

  /**
   * One shared RMSProp step over n parameters, theta[tOff..] with its mean squares ms[tOff..] and
   * the gradient d = scale * grad[dOff..] (A3C, section 4, "shared RMSProp"):
   * g = alpha g + (1 - alpha) d^2; theta -= lr d / sqrt(g + eps). The scale is the clipping
   * factor, applied here rather than in a pass of its own. Mean squares below {@link #FLUSH} are
   * set to 0: a parameter whose gradient is 0 decays its mean square by alpha every step into
   * subnormal floats, where it stays, and subnormal arithmetic made this pass 3-26x slower
   * (platform facts). A run of zero gradients (an fc row whose input was 0 at every step) only
   * decays its mean squares: the square root and the division, most of this pass's time, are
   * skipped.
   */
  public static void rmsProp(int n, float[] theta, float[] ms, int tOff, float[] grad, int dOff,
      float scale, float alpha, float lr, float eps) {
    float oneMinusA = 1 - alpha;
    int j = 0;
    for (int end = S.loopBound(n); j < end; j += L) {
      FloatVector dv = FloatVector.fromArray(S, grad, dOff + j);
      FloatVector g = FloatVector.fromArray(S, ms, tOff + j).mul(alpha);
      if (dv.compare(VectorOperators.EQ, 0f).allTrue()) {
        g.blend(0f, g.compare(VectorOperators.LT, FLUSH)).intoArray(ms, tOff + j);
        continue;
      }
      dv = dv.mul(scale);
      g = g.add(dv.mul(dv).mul(oneMinusA));
      g = g.blend(0f, g.compare(VectorOperators.LT, FLUSH));
      g.intoArray(ms, tOff + j);
      FloatVector step = dv.mul(lr).div(g.add(eps).sqrt());
      FloatVector.fromArray(S, theta, tOff + j).sub(step).intoArray(theta, tOff + j);
    }
    for (; j < n; j++) {
      float dj = scale * grad[dOff + j];
      float g = alpha * ms[tOff + j] + oneMinusA * dj * dj;
      if (g < FLUSH) {
        g = 0;
      }
      ms[tOff + j] = g;
      theta[tOff + j] -= lr * dj / (float) Math.sqrt(g + eps);
    }
  }

  /** Mean squares below this are flushed to 0 (far above the subnormal range, 1.2e-38). */
  public static final float FLUSH = 1e-30f;

  /**
   * The LSTM's cell at one step, in place: {@code gates} (at {@code gt}: i, f, g, o pre-activations,
   * H each) become sigmoid(i), sigmoid(f), tanh(g), sigmoid(o); then c = f * cPrev + i * g,
   * tanh(c) and h = o * tanh(c) (at {@code ht}). Vectorized: Java 17's Math.tanh is StrictMath's
   * (no intrinsic), about 20 us of 512 calls per step here; the Vector API's EXP and TANH lanes
   * run on the JDK's SVML stubs in 0.5 us, within a float ulp of the scalar (model/bench/LstmCellBench.java,
   * BENCHMARKS.md).
   */
  static void lstmCell(int H, float[] gates, int gt, float[] cPrev, float[] cell, float[] tanhCell,
      float[] h, int ht) {
    FloatVector one = FloatVector.broadcast(S, 1f);
    int j = 0;
    for (int bound = S.loopBound(H); j < bound; j += S.length()) {
      FloatVector i = sigmoid(one, FloatVector.fromArray(S, gates, gt + j));
      FloatVector f = sigmoid(one, FloatVector.fromArray(S, gates, gt + H + j));
      FloatVector g = FloatVector.fromArray(S, gates, gt + 2 * H + j).lanewise(VectorOperators.TANH);
      FloatVector o = sigmoid(one, FloatVector.fromArray(S, gates, gt + 3 * H + j));
      i.intoArray(gates, gt + j);
      f.intoArray(gates, gt + H + j);
      g.intoArray(gates, gt + 2 * H + j);
      o.intoArray(gates, gt + 3 * H + j);
      FloatVector c = f.mul(FloatVector.fromArray(S, cPrev, ht + j)).add(i.mul(g));
      FloatVector tc = c.lanewise(VectorOperators.TANH);
      c.intoArray(cell, ht + j);
      tc.intoArray(tanhCell, ht + j);
      o.mul(tc).intoArray(h, ht + j);
    }
    for (; j < H; j++) {
      float i = sigmoid(gates[gt + j]);
      float f = sigmoid(gates[gt + H + j]);
      float g = (float) Math.tanh(gates[gt + 2 * H + j]);
      float o = sigmoid(gates[gt + 3 * H + j]);
      gates[gt + j] = i;
      gates[gt + H + j] = f;
      gates[gt + 2 * H + j] = g;
      gates[gt + 3 * H + j] = o;
      float c = f * cPrev[ht + j] + i * g;
      float tc = (float) Math.tanh(c);
      cell[ht + j] = c;
      tanhCell[ht + j] = tc;
      h[ht + j] = o * tc;
    }
  }

  private static FloatVector sigmoid(FloatVector one, FloatVector x) {
    return one.div(one.add(x.neg().lanewise(VectorOperators.EXP)));
  }

  private static float sigmoid(float x) {
    return (float) (1 / (1 + Math.exp(-x)));
  }
}
