package ma3c.model;


import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One game's network and A3C loss as a SameDiff graph: the trunk, the game's heads, and
 *
 * <pre>
 *   loss = -sum_t log pi(a_t|s_t) A_t  +  value_coef * sum_t (R_t - V(s_t))^2  -  beta * sum_t H(pi(.|s_t))
 * </pre>
 *
 * with the advantage A_t fed as an input (SameDiff has no stop-gradient). The LSTM is unrolled by
 * hand over a fixed {@code unroll} steps from a given (h0, c0); shorter rollouts are padded and
 * masked out. Softmax and log-sum-exp are written out, since M2.1 loses their dimension when it
 * builds the gradient graph.
 */
public final class A3CGraph {
  private final SameDiff sd = SameDiff.create();
  private final List<ParameterLayout.Block> view;
  private final Map<String, SDVariable> params = new LinkedHashMap<>();
  private final DataType dtype;
  private final int actions;
  private final int frames;
  private final int unroll;
  private final boolean lstm;
  private final List<String> names = new ArrayList<>();

  /**
   * @param unroll LSTM steps per rollout (t_max); ignored for the feed-forward net
   */
  public A3CGraph(ParameterLayout layout, String game, DataType dtype, int unroll,
      double valueCoef, double entropyBeta) {
    NetSpec spec = layout.spec();
    this.view = layout.view(game);
    this.dtype = dtype;
    this.actions = spec.actions(game);
    this.frames = spec.frames();
    this.lstm = spec.lstm();
    this.unroll = lstm ? unroll : -1;
    for (ParameterLayout.Block b : view) {
      long[] shape = new long[b.shape().length];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = b.shape()[i];
      }
      params.put(b.localName(), sd.var(b.localName(), Nd4j.zeros(dtype, shape)));
      names.add(b.localName());
    }
    build(valueCoef, entropyBeta);
    sd.createGradFunction();
  }

  private void build(double valueCoef, double entropyBeta) {
    SDVariable obs = sd.placeHolder("obs", dtype, unroll, frames, NetSpec.SIZE, NetSpec.SIZE);
    SDVariable actionsOneHot = sd.placeHolder("actions", dtype, unroll, actions);
    SDVariable returns = sd.placeHolder("returns", dtype, unroll);
    SDVariable advantages = sd.placeHolder("advantages", dtype, unroll);
    SDVariable mask = sd.placeHolder("mask", dtype, unroll);

    SDVariable c1 = sd.nn().relu(conv(obs, "conv1", 8, 4), 0);
    SDVariable c2 = sd.nn().relu(conv(c1, "conv2", 4, 2), 0);
    SDVariable flat = c2.reshape(-1, NetSpec.FLAT);
    SDVariable hidden = sd.nn().relu(flat.mmul(p("fc_w")).add(p("fc_b")), 0);
    SDVariable features = lstm ? lstm(hidden) : hidden;

    SDVariable logits = features.mmul(p("pi_w")).add(p("pi_b"));
    SDVariable value = features.mmul(p("v_w")).add(p("v_b")).reshape(-1);
    SDVariable z = logits.sub(logits.max(true, 1));
    SDVariable logProbs = z.sub(sd.math().log(sd.math().exp(z).sum(true, 1)));
    SDVariable probs = sd.math().exp(logProbs);
    sd.identity("probs", probs);
    sd.identity("value", value);

    SDVariable logProbTaken = actionsOneHot.mul(logProbs).sum(1);
    SDVariable entropy = probs.mul(logProbs).sum(1).neg();
    SDVariable policyLoss = mask.mul(advantages).mul(logProbTaken).sum().neg().rename("policy_loss");
    SDVariable valueLoss = mask.mul(sd.math().square(returns.sub(value))).sum().rename("value_loss");
    SDVariable entropySum = mask.mul(entropy).sum().rename("entropy");
    SDVariable loss = policyLoss.add(valueLoss.mul(valueCoef)).sub(entropySum.mul(entropyBeta))
        .rename("loss");
    sd.setLossVariables(loss);
  }

  private SDVariable p(String name) {
    return params.get(name);
  }

  private SDVariable conv(SDVariable in, String name, int kernel, int stride) {
    // Stored OIHW; SameDiff's conv2d wants [kH, kW, in, out].
    SDVariable weights = p(name + "_w").permute(2, 3, 1, 0);
    return sd.cnn().conv2d(in, weights, p(name + "_b"), Conv2DConfig.builder()
        .kH(kernel).kW(kernel).sH(stride).sW(stride).dataFormat("NCHW").build());
  }

  private SDVariable lstm(SDVariable hidden) {
    int h = NetSpec.HIDDEN;
    SDVariable hPrev = sd.placeHolder("h0", dtype, 1, h);
    SDVariable cPrev = sd.placeHolder("c0", dtype, 1, h);
    SDVariable[] steps = sd.unstack(hidden, 0, unroll);
    SDVariable[] outputs = new SDVariable[unroll];
    for (int t = 0; t < unroll; t++) {
      SDVariable x = steps[t].reshape(1, h);
      SDVariable z = x.mmul(p("lstm_wx")).add(hPrev.mmul(p("lstm_wh"))).add(p("lstm_b"));
      // Gate blocks i, f, g, o; split by unstacking, as column slices break M2.1's backprop.
      SDVariable[] gates = sd.unstack(z.reshape(1, 4, h), 1, 4);
      SDVariable i = sd.nn().sigmoid(gates[0]);
      SDVariable f = sd.nn().sigmoid(gates[1]);
      SDVariable g = sd.math().tanh(gates[2]);
      SDVariable o = sd.nn().sigmoid(gates[3]);
      cPrev = f.mul(cPrev).add(i.mul(g));
      hPrev = o.mul(sd.math().tanh(cPrev));
      outputs[t] = hPrev;
    }
    return sd.concat(0, outputs);
  }

  /** Local parameter names in view order (the order of {@link #gradients}' flat output). */
  public List<String> parameterNames() {
    return names;
  }

  public int unroll() {
    return unroll;
  }

  public int actions() {
    return actions;
  }

  SameDiff sameDiff() {
    return sd;
  }

  /**
   * A float view of a parameter's native memory: writing it changes the graph's parameter. Other
   * consumers (the ONNX acting graph) read the same memory. Float graphs only.
   */
  public FloatBuffer parameterBuffer(String localName) {
    return p(localName).getArr().data().asNioFloat();
  }

  /** Copies this game's parameters out of the flat global array. */
  public void loadFrom(float[] theta) {
    for (ParameterLayout.Block b : view) {
      if (dtype == DataType.FLOAT) {
        parameterBuffer(b.localName()).put(0, theta, b.offset(), b.size());
      } else {
        INDArray arr = p(b.localName()).getArr();
        for (int i = 0; i < b.size(); i++) {
          arr.data().put(i, theta[b.offset() + i]);
        }
      }
    }
  }

  /** The loss terms of one rollout. */
  public record Losses(double policy, double value, double entropy, double total) {}

  /**
   * Gradients of the loss for {@code batch}, written into {@code grad} in view order (the layout
   * of {@link ParameterLayout#view}); returns the loss terms.
   */
  public Losses gradients(Batch batch, float[] grad) {
    OutAndGrad result = sd.calculateGradientsAndOutputs(placeholders(batch),
        List.of("policy_loss", "value_loss", "entropy", "loss"), names);
    int at = 0;
    for (String name : names) {
      INDArray g = result.getGradients().get(name);
      int n = (int) g.length();
      if (dtype == DataType.FLOAT) {
        g.data().asNioFloat().get(0, grad, at, n);
      } else {
        for (int i = 0; i < n; i++) {
          grad[at + i] = (float) g.data().getDouble(i);
        }
      }
      at += n;
    }
    Map<String, INDArray> out = result.getOutputs();
    return new Losses(out.get("policy_loss").getDouble(0), out.get("value_loss").getDouble(0),
        out.get("entropy").getDouble(0), out.get("loss").getDouble(0));
  }

  /** Gradients by name, at the graph's precision (for gradient checks). */
  Map<String, INDArray> gradientsByName(Batch batch) {
    return sd.calculateGradients(placeholders(batch), names);
  }

  /** The loss alone (for finite differences). */
  double loss(Batch batch) {
    return sd.output(placeholders(batch), "loss").get("loss").getDouble(0);
  }

  /** Action probabilities and values, [T, A] and [T] (for parity tests). */
  public Map<String, INDArray> forward(Batch batch) {
    return sd.output(placeholders(batch), "probs", "value");
  }

  private Map<String, INDArray> placeholders(Batch batch) {
    int rows = lstm ? unroll : batch.steps();
    if (batch.steps() > rows) {
      throw new IllegalArgumentException(batch.steps() + " steps exceed the LSTM unroll " + unroll);
    }
    // Built in float, the training precision, on the hot path; double graphs (gradient checks)
    // cast, so both sides of a check still see identical inputs.
    int pixels = frames * NetSpec.SIZE * NetSpec.SIZE;
    float[] obs = new float[rows * pixels];
    float[] oneHot = new float[rows * actions];
    float[] returns = new float[rows];
    float[] advantages = new float[rows];
    float[] mask = new float[rows];
    for (int t = 0; t < batch.steps(); t++) {
      byte[] o = batch.observations()[t];
      for (int i = 0; i < pixels; i++) {
        obs[t * pixels + i] = (o[i] & 0xFF) / 255f;
      }
      oneHot[t * actions + batch.actions()[t]] = 1;
      returns[t] = (float) batch.returns()[t];
      advantages[t] = (float) batch.advantages()[t];
      mask[t] = 1;
    }
    Map<String, INDArray> ph = new HashMap<>();
    ph.put("obs", input(obs, rows, frames, NetSpec.SIZE, NetSpec.SIZE));
    ph.put("actions", input(oneHot, rows, actions));
    ph.put("returns", input(returns, rows));
    ph.put("advantages", input(advantages, rows));
    ph.put("mask", input(mask, rows));
    if (lstm) {
      ph.put("h0", input(toFloat(batch.h0()), 1, NetSpec.HIDDEN));
      ph.put("c0", input(toFloat(batch.c0()), 1, NetSpec.HIDDEN));
    }
    return ph;
  }

  private INDArray input(float[] values, long... shape) {
    INDArray array = Nd4j.create(values, shape, 'c');
    return dtype == DataType.FLOAT ? array : array.castTo(dtype);
  }

  private static float[] toFloat(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }
}
