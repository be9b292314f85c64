package ma3c.model;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One game's network (the trunk and that game's heads) for one actor-learner thread: its own copy
 * of the parameters, a batch-1 forward for acting that keeps each step's activations, and the
 * backward pass of the A3C loss over the rollout that reuses them:
 *
 * <pre>
 *   loss = -sum_t log pi(a_t|s_t) A_t  +  valueCoef * sum_t (R_t - V(s_t))^2  -  beta * sum_t H(pi(.|s_t))
 * </pre>
 *
 * (A_t is a constant: no gradient flows through the advantage). The LSTM is back-propagated
 * through the rollout from the state it started in (truncated BPTT). Not thread-safe: one per
 * thread. Parameters and gradients are laid out in the game's view order
 * ({@link ParameterLayout#view}).
 */
public final class A3CNet {
  /** One acting step: the action probabilities and V(s). */
  public record Output(float[] probs, float value) {}

  /** The loss terms of one rollout (sums over its steps). */
  public record Losses(double policy, double value, double entropy, double total) {}

  private static final int S = NetSpec.SIZE;
  // conv1: 8x8 windows at stride 4 (VectorMath.conv8x8Stride4).
  private static final int K1 = 8;
  private static final int OUT1 = 20;
  private static final int P1 = OUT1 * OUT1;
  private static final int K2 = 4;
  private static final int STRIDE2 = 2;
  private static final int OUT2 = NetSpec.CONV2_OUT;
  private static final int P2 = OUT2 * OUT2;
  private static final int C1 = NetSpec.CONV1;
  private static final int C2 = NetSpec.CONV2;
  private static final int KK2 = C1 * K2 * K2;
  private static final int FLAT = NetSpec.FLAT;
  private static final int H = NetSpec.HIDDEN;
  private static final int G = 4 * H;
  private static final float[] BYTE_TO_UNIT = new float[256];

  static {
    for (int i = 0; i < 256; i++) {
      BYTE_TO_UNIT[i] = i / 255f;
    }
    if (!VectorMath.channelsFitVectors(C1)) {
      throw new IllegalStateException("conv1's " + C1 + " channels are not a whole number of this CPU's"
          + " float vectors: the engine needs vectors of at most " + C1 + " floats (512 bits)");
    }
  }

  private final List<ParameterLayout.Block> view;
  private final int frames;
  private final int pixels;
  private final int kk1;
  private final int actions;
  private final boolean lstm;
  private final int maxSteps;
  private final float[] params;
  private final Map<String, Integer> offsets = new HashMap<>();
  private final int conv1W;
  private final int conv1B;
  private final int conv2W;
  private final int conv2B;
  private final int fcW;
  private final int fcB;
  private final int lstmWx;
  private final int lstmWh;
  private final int lstmB;
  private final int piW;
  private final int piB;
  private final int vW;
  private final int vB;

  // Per step of the rollout (slot t; slot maxSteps is scratch for bootstrap values).
  private final float[] input;
  private final float[] a1;
  private final float[] a2;
  private final float[] fc;
  private final float[] hPrev;
  private final float[] cPrev;
  private final float[] gates;
  private final float[] cell;
  private final float[] tanhCell;
  private final float[] hOut;
  private final float[] probs;
  private final float[] logProbs;
  private final float[] values;
  private int step;

  // The LSTM state carried between acting steps.
  private final float[] h = new float[H];
  private final float[] c = new float[H];

  // Scratch.
  // The convolutions with their channels as the vectors' lanes, reading their input in place (no
  // im2col): for conv2, where each output position's window starts in the input, and each tap in
  // the window; the weights transposed (tap-major), refreshed when the parameters may have changed.
  private final float[] w1T;
  private final float[] a1Channels = new float[P1 * C1];
  private final float[] dA1Channels = new float[P1 * C1];
  private final float[] g1T;
  private final int[] conv2At = new int[P2];
  private final int[] conv2Taps = new int[KK2];
  private final float[] w2T = new float[KK2 * C2];
  private final float[] a2Channels = new float[P2 * C2];
  private final float[] dY2Channels = new float[P2 * C2];
  private final float[] g2T = new float[KK2 * C2];
  // conv2's input gradient straight into conv1's channels-last layout: its taps (ky, kx) in
  // conv1's output positions, and its weights [out channel][tap][in channel].
  private final int[] conv2InputTaps = new int[K2 * K2];
  private final float[] w2In = new float[C2 * K2 * K2 * C1];
  private boolean transposed;
  private final float[] dFeatures;
  private final float[] dFc;
  private final float[] dA2;
  private final float[] dZ;
  private final float[] dY2 = new float[C2 * P2];
  private final float[] conv1BiasGradient = new float[C1];
  private final float[] dHNext = new float[H];
  private final float[] dCNext = new float[H];
  private final float[] dLogits;
  private final int[] nonZero = new int[FLAT];
  private final int[] liveInputs = new int[FLAT];

  /**
   * @param maxSteps the longest rollout (t_max)
   */
  public A3CNet(ParameterLayout layout, String game, int maxSteps) {
    NetSpec spec = layout.spec();
    this.view = layout.view(game);
    this.frames = spec.frames();
    this.pixels = frames * S * S;
    this.kk1 = frames * K1 * K1;
    this.actions = spec.actions(game);
    this.lstm = spec.lstm();
    this.maxSteps = maxSteps;
    int size = 0;
    for (ParameterLayout.Block b : view) {
      offsets.put(b.localName(), size);
      size += b.size();
    }
    this.params = new float[size];
    conv1W = offsets.get("conv1_w");
    conv1B = offsets.get("conv1_b");
    conv2W = offsets.get("conv2_w");
    conv2B = offsets.get("conv2_b");
    fcW = offsets.get("fc_w");
    fcB = offsets.get("fc_b");
    lstmWx = offsets.getOrDefault("lstm_wx", -1);
    lstmWh = offsets.getOrDefault("lstm_wh", -1);
    lstmB = offsets.getOrDefault("lstm_b", -1);
    piW = offsets.get("pi_w");
    piB = offsets.get("pi_b");
    vW = offsets.get("v_w");
    vB = offsets.get("v_b");
    int slots = maxSteps + 1;
    input = new float[slots * pixels];
    a1 = new float[slots * C1 * P1];
    a2 = new float[slots * FLAT];
    fc = new float[slots * H];
    int lstmSlots = lstm ? slots : 0;
    hPrev = new float[lstmSlots * H];
    cPrev = new float[lstmSlots * H];
    gates = new float[lstmSlots * G];
    cell = new float[lstmSlots * H];
    tanhCell = new float[lstmSlots * H];
    hOut = new float[lstmSlots * H];
    probs = new float[slots * actions];
    logProbs = new float[slots * actions];
    values = new float[slots];
    w1T = new float[kk1 * C1];
    g1T = new float[kk1 * C1];
    for (int ch = 0, k = 0; ch < C1; ch++) {
      for (int ky = 0; ky < K2; ky++) {
        for (int kx = 0; kx < K2; kx++, k++) {
          conv2Taps[k] = ch * P1 + ky * OUT1 + kx;
        }
      }
    }
    for (int ky = 0; ky < K2; ky++) {
      for (int kx = 0; kx < K2; kx++) {
        conv2InputTaps[ky * K2 + kx] = ky * OUT1 + kx;
      }
    }
    for (int oy = 0; oy < OUT2; oy++) {
      for (int ox = 0; ox < OUT2; ox++) {
        conv2At[oy * OUT2 + ox] = oy * STRIDE2 * OUT1 + ox * STRIDE2;
      }
    }
    dFeatures = new float[maxSteps * H];
    dFc = new float[maxSteps * H];
    dA2 = new float[maxSteps * FLAT];
    dZ = new float[lstm ? maxSteps * G : 0];
    dLogits = new float[actions];
  }

  /** Floats of this game's parameters (and of its gradient). */
  public int size() {
    return params.length;
  }

  /**
   * The thread's parameters, in view order. Tests write them directly: the writes made before the
   * next forward pass are what it uses (the conv weights' transposes are refreshed then).
   */
  public float[] parameters() {
    transposed = false;
    return params;
  }

  /** Where a parameter tensor starts in {@link #parameters()}. */
  public int offset(String localName) {
    Integer at = offsets.get(localName);
    if (at == null) {
      throw new IllegalArgumentException("no parameter " + localName + " in " + offsets.keySet());
    }
    return at;
  }

  public int actions() {
    return actions;
  }

  public int maxSteps() {
    return maxSteps;
  }

  /** theta' = theta: copies this game's blocks out of the flat global parameters. */
  public void loadFrom(float[] theta) {
    int at = 0;
    for (ParameterLayout.Block b : view) {
      System.arraycopy(theta, b.offset(), params, at, b.size());
      at += b.size();
    }
    transposed = false;
  }

  /** Zeroes the LSTM state (a new episode). */
  public void resetState() {
    Arrays.fill(h, 0);
    Arrays.fill(c, 0);
  }

  /** Sets the LSTM state (tests, and rollouts replayed from a known state). */
  public void setState(float[] hIn, float[] cIn) {
    System.arraycopy(hIn, 0, h, 0, H);
    System.arraycopy(cIn, 0, c, 0, H);
  }

  /** Copies the current LSTM state out. */
  public void state(float[] hOutCopy, float[] cOutCopy) {
    System.arraycopy(h, 0, hOutCopy, 0, H);
    System.arraycopy(c, 0, cOutCopy, 0, H);
  }

  /** t = t_start: the next {@link #act} is step 0 of a new rollout. */
  public void beginRollout() {
    step = 0;
  }

  /**
   * pi(.|s_t) and V(s_t) for the rollout's next step; keeps the step's activations for
   * {@link #backward} and advances the LSTM state.
   */
  public Output act(byte[] observation) {
    int t = nextStep();
    forward(t, observation, true);
    return new Output(Arrays.copyOfRange(probs, t * actions, (t + 1) * actions), values[t]);
  }

  /** V(s) from the current LSTM state, leaving the state and the rollout as they are. */
  public float value(byte[] observation) {
    forward(maxSteps, observation, false);
    return values[maxSteps];
  }

  /**
   * The fc layer's activations for {@code observation} (from the current LSTM state, which is
   * left as it is) into {@code hiddenOut}; returns V(s). For trunk-health probes.
   */
  public float probe(byte[] observation, float[] hiddenOut) {
    forward(maxSteps, observation, false);
    System.arraycopy(fc, maxSteps * H, hiddenOut, 0, H);
    return values[maxSteps];
  }

  /** The slot of the rollout's next acting step. */
  int nextStep() {
    if (step >= maxSteps) {
      throw new IllegalStateException("rollout longer than t_max " + maxSteps);
    }
    return step++;
  }

  /**
   * The forward pass of step t, layer by layer. Each layer's method reads only what the layers
   * before it left in slot t (and scratch the previous method filled), so running them in this
   * order is the forward pass; the engine's roofline ({@link EngineRoofline}) times them one by one.
   */
  private void forward(int t, byte[] observation, boolean advanceState) {
    loadInput(t, observation);
    conv1Forward(t);
    conv2Forward(t);
    fcForward(t);
    if (lstm) {
      lstmStep(t, advanceState);
    }
    headsForward(t);
  }

  /** Step t's input, x / 255, kept in its slot for conv1's weight gradient. */
  void loadInput(int t, byte[] observation) {
    if (observation.length != pixels) {
      throw new IllegalArgumentException("observation of " + observation.length + " bytes, expected "
          + pixels);
    }
    int base = t * pixels;
    for (int i = 0; i < pixels; i++) {
      input[base + i] = BYTE_TO_UNIT[observation[i] & 0xFF];
    }
  }

  /**
   * conv1 (+ReLU) of step t, computed channels-last (each output position's 16 channels one
   * vector, reading the input in place) and stored channel by channel (a1) for conv2.
   */
  void conv1Forward(int t) {
    transposeConvWeights();
    for (int p = 0; p < P1; p++) {
      System.arraycopy(params, conv1B, a1Channels, p * C1, C1);
    }
    VectorMath.conv8x8Stride4(frames, S, OUT1, input, t * pixels, w1T, C1, a1Channels);
    int a1t = t * C1 * P1;
    for (int p = 0; p < P1; p++) {
      for (int o = 0; o < C1; o++) {
        a1[a1t + o * P1 + p] = Math.max(0f, a1Channels[p * C1 + o]);
      }
    }
  }

  /**
   * conv2 (+ReLU) of step t, channels-last from conv1's output read in place; stored channel by
   * channel: its output, flattened (c, y, x), is the fc input.
   */
  void conv2Forward(int t) {
    transposeConvWeights();
    for (int p = 0; p < P2; p++) {
      System.arraycopy(params, conv2B, a2Channels, p * C2, C2);
    }
    VectorMath.convChannelsLast(P2, conv2At, KK2, conv2Taps, a1, t * C1 * P1, w2T, C2, a2Channels);
    int a2t = t * FLAT;
    for (int p = 0; p < P2; p++) {
      for (int o = 0; o < C2; o++) {
        a2[a2t + o * P2 + p] = Math.max(0f, a2Channels[p * C2 + o]);
      }
    }
  }

  /** The conv weights tap-major, as the channels-last kernels read them, after a parameter change. */
  private void transposeConvWeights() {
    if (transposed) {
      return;
    }
    for (int o = 0; o < C1; o++) {
      for (int k = 0; k < kk1; k++) {
        w1T[k * C1 + o] = params[conv1W + o * kk1 + k];
      }
    }
    for (int o = 0; o < C2; o++) {
      for (int k = 0; k < KK2; k++) {
        w2T[k * C2 + o] = params[conv2W + o * KK2 + k];
      }
      for (int i = 0; i < C1; i++) {
        for (int j = 0; j < K2 * K2; j++) {
          w2In[(o * K2 * K2 + j) * C1 + i] = params[conv2W + o * KK2 + i * K2 * K2 + j];
        }
      }
    }
    transposed = true;
  }

  /** fc (+ReLU): a batch-1 product that reads only the rows of the live conv2 outputs. */
  void fcForward(int t) {
    int a2t = t * FLAT;
    int fct = t * H;
    System.arraycopy(params, fcB, fc, fct, H);
    VectorMath.gemv(FLAT, H, a2, a2t, params, fcW, H, fc, fct, nonZero);
    VectorMath.relu(fc, fct, H);
  }

  /** The policy and value heads of step t, on the fc output or the LSTM's. */
  void headsForward(int t) {
    heads(t, lstm ? hOut : fc, t * H);
  }

  /**
   * One LSTM step from the carried state (h, c), which step t keeps as its previous state; the
   * new state is carried on when {@code advanceState}.
   */
  void lstmStep(int t, boolean advanceState) {
    int ht = t * H;
    int gt = t * G;
    System.arraycopy(h, 0, hPrev, ht, H);
    System.arraycopy(c, 0, cPrev, ht, H);
    System.arraycopy(params, lstmB, gates, gt, G);
    VectorMath.gemv(H, G, fc, ht, params, lstmWx, G, gates, gt, nonZero);
    VectorMath.gemv(H, G, hPrev, ht, params, lstmWh, G, gates, gt, nonZero);
    VectorMath.lstmCell(H, gates, gt, cPrev, cell, tanhCell, hOut, ht);
    if (advanceState) {
      System.arraycopy(hOut, ht, h, 0, H);
      System.arraycopy(cell, ht, c, 0, H);
    }
  }

  private void heads(int t, float[] features, int ft) {
    int pt = t * actions;
    float max = Float.NEGATIVE_INFINITY;
    for (int a = 0; a < actions; a++) {
      float z = params[piB + a];
      for (int j = 0; j < H; j++) {
        z += features[ft + j] * params[piW + j * actions + a];
      }
      logProbs[pt + a] = z;
      max = Math.max(max, z);
    }
    double sum = 0;
    for (int a = 0; a < actions; a++) {
      sum += Math.exp(logProbs[pt + a] - max);
    }
    float logSum = (float) (max + Math.log(sum));
    for (int a = 0; a < actions; a++) {
      float lp = logProbs[pt + a] - logSum;
      logProbs[pt + a] = lp;
      probs[pt + a] = (float) Math.exp(lp);
    }
    values[t] = params[vB] + VectorMath.dot(H, features, ft, params, vW);
  }

  /**
   * Gradients of the loss over the rollout's first {@code steps} acting steps, written into
   * {@code grad} (view order, overwritten); returns the loss terms.
   */
  public Losses backward(int steps, int[] taken, double[] returns, double[] advantages,
      double valueCoef, double beta, float[] grad) {
    beginBackward(steps, grad);
    Losses losses = lossBackward(steps, taken, returns, advantages, valueCoef, beta, grad);
    trunkBackward(steps, grad);
    return losses;
  }

  /**
   * The A3C loss terms of the rollout's first {@code steps} steps, and their gradients through the
   * heads: into the heads' blocks of {@code grad} and into dFeatures.
   */
  Losses lossBackward(int steps, int[] taken, double[] returns, double[] advantages,
      double valueCoef, double beta, float[] grad) {
    double policyLoss = 0;
    double valueLoss = 0;
    double entropySum = 0;
    for (int t = 0; t < steps; t++) {
      int pt = t * actions;
      int a = taken[t];
      float adv = (float) advantages[t];
      double entropy = 0;
      for (int k = 0; k < actions; k++) {
        entropy -= probs[pt + k] * logProbs[pt + k];
      }
      policyLoss -= advantages[t] * logProbs[pt + a];
      double err = values[t] - returns[t];
      valueLoss += err * err;
      entropySum += entropy;
      // d/dz_k of -A log p_a - beta H = -A (1[k = a] - p_k) + beta p_k (log p_k + H).
      for (int k = 0; k < actions; k++) {
        float p = probs[pt + k];
        dLogits[k] = -adv * ((k == a ? 1f : 0f) - p) + (float) (beta * p * (logProbs[pt + k] + entropy));
      }
      headsBackward(t, (float) (2 * valueCoef * err), grad);
    }
    return new Losses(policyLoss, valueLoss, entropySum,
        policyLoss + valueCoef * valueLoss - beta * entropySum);
  }

  /**
   * The distillation loss terms of a rollout: sum_t KL(teacher || this net), the value error,
   * and sum_t of this net's policy entropy (watched, not optimized).
   */
  public record DistillLosses(double kl, double value, double entropy) {}

  /**
   * Gradients of the distillation loss over the rollout's first {@code steps} acting steps:
   * sum_t KL(pi_T(.|s_t) || pi(.|s_t)) + valueCoef sum_t (V(s_t) - V_T(s_t))^2, with the
   * teacher's action probabilities ({@code steps x actions}, row-major) and values, written into
   * {@code grad} (view order, overwritten).
   */
  public DistillLosses distillBackward(int steps, float[] teacherProbs, float[] teacherValues,
      double valueCoef, float[] grad) {
    beginBackward(steps, grad);
    double kl = 0;
    double valueLoss = 0;
    double entropySum = 0;
    for (int t = 0; t < steps; t++) {
      int pt = t * actions;
      for (int k = 0; k < actions; k++) {
        entropySum -= probs[pt + k] * logProbs[pt + k];
        float q = teacherProbs[pt + k];
        if (q > 0) {
          kl += q * (Math.log(q) - logProbs[pt + k]);
        }
        // d/dz_k of sum_j q_j (log q_j - log p_j) = p_k - q_k (the q_j sum to 1).
        dLogits[k] = probs[pt + k] - q;
      }
      double err = values[t] - teacherValues[t];
      valueLoss += err * err;
      headsBackward(t, (float) (2 * valueCoef * err), grad);
    }
    trunkBackward(steps, grad);
    return new DistillLosses(kl, valueLoss, entropySum);
  }

  void beginBackward(int steps, float[] grad) {
    if (steps < 1 || steps > step) {
      throw new IllegalArgumentException(steps + " steps, but the rollout has " + step);
    }
    Arrays.fill(grad, 0);
    Arrays.fill(dFeatures, 0, steps * H, 0);
  }

  /** Step t's head gradients (dLogits, dValue) into the heads' blocks and dFeatures. */
  private void headsBackward(int t, float dValue, float[] grad) {
    float[] features = lstm ? hOut : fc;
    int ft = t * H;
    for (int j = 0; j < H; j++) {
      float fj = features[ft + j];
      int row = piW + j * actions;
      float back = 0;
      for (int k = 0; k < actions; k++) {
        grad[row + k] += fj * dLogits[k];
        back += params[row + k] * dLogits[k];
      }
      grad[vW + j] += fj * dValue;
      dFeatures[ft + j] = back + params[vW + j] * dValue;
    }
    for (int k = 0; k < actions; k++) {
      grad[piB + k] += dLogits[k];
    }
    grad[vB] += dValue;
  }

  /** From dFeatures of every step back through the LSTM, fc and convs into {@code grad}. */
  private void trunkBackward(int steps, float[] grad) {
    if (lstm) {
      lstmBackward(steps, grad);
    }
    fcBackward(steps, grad);
    for (int t = 0; t < steps; t++) {
      conv2Backward(t, grad);
      conv2InputGradient();
      conv1Backward(t, grad);
    }
  }

  /**
   * The fc layer over the rollout, from the gradient at its output (the LSTM's input gradient, or
   * the heads' dFeatures without an LSTM) into its blocks of {@code grad} and dA2; returns how
   * many of its inputs were live at some step (the rows its weight gradient computes).
   */
  int fcBackward(int steps, float[] grad) {
    if (!lstm) {
      System.arraycopy(dFeatures, 0, dFc, 0, steps * H);
    }
    // Through the ReLU, then dW += x^T dy, db += dy, dx = dy W^T for all steps at once.
    for (int i = 0; i < steps * H; i++) {
      if (fc[i] <= 0) {
        dFc[i] = 0;
      }
    }
    for (int t = 0; t < steps; t++) {
      addTo(grad, fcB, dFc, t * H, H);
    }
    // Only conv2 outputs that were live at some step: the others add nothing to the fc weight
    // gradient, and conv2's ReLU zeroes their gradient anyway.
    int live = VectorMath.liveColumns(a2, 0, FLAT, steps, FLAT, liveInputs);
    VectorMath.gemmRows(liveInputs, live, H, steps, a2, 0, 1, FLAT, dFc, 0, H, grad, fcW, H);
    Arrays.fill(dA2, 0, steps * FLAT, 0);
    VectorMath.gemmNTColumns(steps, liveInputs, live, H, dFc, 0, H, params, fcW, H, dA2, 0, FLAT);
    return live;
  }

  /**
   * Back-propagation through the LSTM over the rollout, from dFeatures into its blocks of
   * {@code grad} and dFc; returns how many fc outputs were live at some step (the rows its input
   * weight gradient computes).
   */
  int lstmBackward(int steps, float[] grad) {
    Arrays.fill(dHNext, 0);
    Arrays.fill(dCNext, 0);
    for (int t = steps - 1; t >= 0; t--) {
      int ht = t * H;
      int gt = t * G;
      for (int j = 0; j < H; j++) {
        float dh = dFeatures[ht + j] + dHNext[j];
        float i = gates[gt + j];
        float f = gates[gt + H + j];
        float g = gates[gt + 2 * H + j];
        float o = gates[gt + 3 * H + j];
        float tc = tanhCell[ht + j];
        float dc = dCNext[j] + dh * o * (1 - tc * tc);
        dZ[gt + j] = dc * g * i * (1 - i);
        dZ[gt + H + j] = dc * cPrev[ht + j] * f * (1 - f);
        dZ[gt + 2 * H + j] = dc * i * (1 - g * g);
        dZ[gt + 3 * H + j] = dh * tc * o * (1 - o);
        dCNext[j] = dc * f;
      }
      if (t > 0) {
        Arrays.fill(dHNext, 0);
        VectorMath.gemmNT(1, H, G, dZ, gt, G, params, lstmWh, G, dHNext, 0, H);
      }
    }
    for (int t = 0; t < steps; t++) {
      addTo(grad, lstmB, dZ, t * G, G);
    }
    // As for the fc layer below: fc units that were 0 at every step are skipped.
    int live = VectorMath.liveColumns(fc, 0, H, steps, H, liveInputs);
    VectorMath.gemmRows(liveInputs, live, G, steps, fc, 0, 1, H, dZ, 0, G, grad, lstmWx, G);
    VectorMath.gemm(H, G, steps, hPrev, 0, 1, H, dZ, 0, G, grad, lstmWh, G);
    Arrays.fill(dFc, 0, steps * H, 0);
    VectorMath.gemmNTColumns(steps, liveInputs, live, G, dZ, 0, G, params, lstmWx, G, dFc, 0, H);
    return live;
  }

  /**
   * conv2's weight gradient at step t, from dA2 (the gradient at its output) and its input
   * (conv1's output, read in place) into its blocks of grad; leaves the gradient at its output
   * through the ReLU, channels-last, for {@link #conv2InputGradient}.
   */
  void conv2Backward(int t, float[] grad) {
    int a2t = t * FLAT;
    for (int i = 0; i < FLAT; i++) {
      dY2[i] = a2[a2t + i] > 0 ? dA2[a2t + i] : 0;
    }
    for (int o = 0; o < C2; o++) {
      grad[conv2B + o] += sum(dY2, o * P2, P2);
      for (int p = 0; p < P2; p++) {
        dY2Channels[p * C2 + o] = dY2[o * P2 + p];
      }
    }
    Arrays.fill(g2T, 0);
    VectorMath.convChannelsLastWeightGradient(P2, conv2At, KK2, conv2Taps, a1, t * C1 * P1,
        dY2Channels, C2, g2T);
    for (int o = 0; o < C2; o++) {
      for (int k = 0; k < KK2; k++) {
        grad[conv2W + o * KK2 + k] += g2T[k * C2 + o];
      }
    }
  }

  /**
   * The gradient at conv1's output (before its ReLU), channels-last, from conv2's backward;
   * returns how many of conv2's outputs had a gradient that is not 0.
   */
  int conv2InputGradient() {
    transposeConvWeights();
    Arrays.fill(dA1Channels, 0);
    return VectorMath.convChannelsLastInputGradient(P2, conv2At, K2 * K2, conv2InputTaps, dY2Channels,
        C2, w2In, C1, dA1Channels);
  }

  /** conv1 of step t, through its ReLU, into its blocks of grad (channels-last). */
  void conv1Backward(int t, float[] grad) {
    int a1t = t * C1 * P1;
    Arrays.fill(conv1BiasGradient, 0);
    for (int p = 0; p < P1; p++) {
      for (int o = 0; o < C1; o++) {
        if (a1[a1t + o * P1 + p] <= 0) {
          dA1Channels[p * C1 + o] = 0;
        }
        conv1BiasGradient[o] += dA1Channels[p * C1 + o];
      }
    }
    for (int o = 0; o < C1; o++) {
      grad[conv1B + o] += conv1BiasGradient[o];
    }
    Arrays.fill(g1T, 0);
    VectorMath.conv8x8Stride4WeightGradient(frames, S, OUT1, input, t * pixels, dA1Channels, C1,
        g1T);
    for (int o = 0; o < C1; o++) {
      for (int k = 0; k < kk1; k++) {
        grad[conv1W + o * kk1 + k] += g1T[k * C1 + o];
      }
    }
  }

  /**
   * The whole loss gradient of a recorded rollout: replays it from its LSTM state (h0, c0), then
   * {@link #backward}. For tests and references; the training loop acts and back-propagates
   * without the replay. The LSTM state afterwards is the rollout's end state.
   */
  public Losses gradients(Batch batch, float[] grad, double valueCoef, double beta) {
    if (lstm) {
      float[] h0 = new float[H];
      float[] c0 = new float[H];
      for (int i = 0; i < H; i++) {
        h0[i] = (float) batch.h0()[i];
        c0[i] = (float) batch.c0()[i];
      }
      setState(h0, c0);
    }
    beginRollout();
    for (int t = 0; t < batch.steps(); t++) {
      act(batch.observations()[t]);
    }
    return backward(batch.steps(), batch.actions(), batch.returns(), batch.advantages(), valueCoef,
        beta, grad);
  }

  /**
   * The non-zero inputs of step t's fc layer (conv2's ReLU outputs): the rows of its weights that
   * the forward gemv reads. For the roofline's count of the work done.
   */
  int liveFcInputs(int t) {
    return nonZeros(a2, t * FLAT, FLAT);
  }

  /** The non-zero inputs of step t's LSTM gemvs: its fc input and its previous h, summed. */
  int liveLstmInputs(int t) {
    return nonZeros(fc, t * H, H) + nonZeros(hPrev, t * H, H);
  }

  private static int nonZeros(float[] x, int from, int n) {
    int count = 0;
    for (int i = from; i < from + n; i++) {
      if (x[i] != 0f) {
        count++;
      }
    }
    return count;
  }

  private static void addTo(float[] dst, int dstOff, float[] src, int srcOff, int n) {
    for (int i = 0; i < n; i++) {
      dst[dstOff + i] += src[srcOff + i];
    }
  }

  private static float sum(float[] x, int from, int n) {
    float s = 0;
    for (int i = from; i < from + n; i++) {
      s += x[i];
    }
    return s;
  }

}
