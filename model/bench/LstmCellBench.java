import jdk.incubator.vector.*;
/** One LSTM step's cell (H = 256): scalar Math.tanh and Math.exp against the Vector API's TANH and EXP lanes. */
public class LstmCellBench {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static float sigmoid(float x) { return (float) (1 / (1 + Math.exp(-x))); }
  static void scalar(float[] g, float[] cp, float[] out, int H) {
    for (int j = 0; j < H; j++) {
      float i = sigmoid(g[j]), f = sigmoid(g[H + j]), gg = (float) Math.tanh(g[2 * H + j]), o = sigmoid(g[3 * H + j]);
      float c = f * cp[j] + i * gg; out[j] = o * (float) Math.tanh(c);
    }
  }
  static void vector(float[] g, float[] cp, float[] out, int H) {
    FloatVector one = FloatVector.broadcast(S, 1f);
    for (int j = 0; j < H; j += S.length()) {
      FloatVector i = one.div(one.add(FloatVector.fromArray(S, g, j).neg().lanewise(VectorOperators.EXP)));
      FloatVector f = one.div(one.add(FloatVector.fromArray(S, g, H + j).neg().lanewise(VectorOperators.EXP)));
      FloatVector gg = FloatVector.fromArray(S, g, 2 * H + j).lanewise(VectorOperators.TANH);
      FloatVector o = one.div(one.add(FloatVector.fromArray(S, g, 3 * H + j).neg().lanewise(VectorOperators.EXP)));
      FloatVector c = f.mul(FloatVector.fromArray(S, cp, j)).add(i.mul(gg));
      o.mul(c.lanewise(VectorOperators.TANH)).intoArray(out, j);
    }
  }
  public static void main(String[] a) {
    int H = 256; float[] g = new float[4 * H], cp = new float[H], o1 = new float[H], o2 = new float[H];
    java.util.Random r = new java.util.Random(1);
    for (int k = 0; k < g.length; k++) g[k] = (float) r.nextGaussian() * 2;
    for (int k = 0; k < H; k++) cp[k] = (float) r.nextGaussian();
    for (int rep = 0; rep < 3; rep++) {
      long t0 = System.nanoTime(); for (int k = 0; k < 20000; k++) scalar(g, cp, o1, H);
      long t1 = System.nanoTime(); for (int k = 0; k < 20000; k++) vector(g, cp, o2, H);
      long t2 = System.nanoTime();
      double maxErr = 0; for (int k = 0; k < H; k++) maxErr = Math.max(maxErr, Math.abs(o1[k] - o2[k]));
      System.out.printf("scalar %.2f us, vector %.2f us per step, max diff %.2e%n", (t1 - t0) / 20000e3, (t2 - t1) / 20000e3, maxErr);
    }
  }
}
