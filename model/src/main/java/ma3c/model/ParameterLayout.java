package ma3c.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Where every parameter lives in one flat float array: the blocks shared by all games once, the
 * per-game blocks once per game. A game's view lists, under the local names its graph uses
 * (e.g. "fc_w", "pi_w"), the global blocks that game trains.
 *
 * <p>Layouts: conv weights OIHW [out, in, kH, kW] (ONNX's and PyTorch's), dense weights [in, out],
 * LSTM weights [in, 4H] and [H, 4H] with gate blocks in the order i, f, g, o.
 */
public final class ParameterLayout {
  /** One parameter tensor in the flat array. {@code owner} is null for shared blocks. */
  public record Block(String globalName, String localName, String owner, int[] shape, int offset,
      Init init) {
    public int size() {
      int n = 1;
      for (int d : shape) {
        n *= d;
      }
      return n;
    }
  }

  /** How a block starts: fan-in scaled uniform weights, zeros, or a constant. */
  public record Init(double scale, double constant, boolean uniform) {
    static Init fanIn(double gain, int fanIn) {
      return new Init(gain * Math.sqrt(3.0 / fanIn), 0, true);
    }

    static Init constant(double value) {
      return new Init(0, value, false);
    }
  }

  private final NetSpec spec;
  private final List<Block> blocks = new ArrayList<>();
  private final Map<String, List<Block>> views = new LinkedHashMap<>();
  private int size;

  public ParameterLayout(NetSpec spec) {
    this.spec = spec;
    List<Block> shared = new ArrayList<>();
    int in = spec.frames();
    add(shared, null, "conv1_w", Init.fanIn(Math.sqrt(2), in * 64), NetSpec.CONV1, in, 8, 8);
    add(shared, null, "conv1_b", Init.constant(0), NetSpec.CONV1);
    add(shared, null, "conv2_w", Init.fanIn(Math.sqrt(2), NetSpec.CONV1 * 16), NetSpec.CONV2, NetSpec.CONV1, 4, 4);
    add(shared, null, "conv2_b", Init.constant(0), NetSpec.CONV2);
    add(shared, null, "fc_w", Init.fanIn(Math.sqrt(2), NetSpec.FLAT), NetSpec.FLAT, NetSpec.HIDDEN);
    add(shared, null, "fc_b", Init.constant(0), NetSpec.HIDDEN);
    if (spec.lstm() && !spec.architecture().lstmPerGame()) {
      addLstm(shared, null);
    }
    for (String game : spec.gameNames()) {
      List<Block> view = new ArrayList<>(shared);
      if (spec.lstm() && spec.architecture().lstmPerGame()) {
        addLstm(view, game);
      }
      int actions = spec.actions(game);
      // A small policy init starts every game near the uniform policy.
      add(view, game, "pi_w", Init.fanIn(0.01, NetSpec.HIDDEN), NetSpec.HIDDEN, actions);
      add(view, game, "pi_b", Init.constant(0), actions);
      add(view, game, "v_w", Init.fanIn(1.0, NetSpec.HIDDEN), NetSpec.HIDDEN, 1);
      add(view, game, "v_b", Init.constant(0), 1);
      views.put(game, List.copyOf(view));
    }
  }

  private void addLstm(List<Block> into, String owner) {
    int h = NetSpec.HIDDEN;
    add(into, owner, "lstm_wx", Init.fanIn(1.0, h), h, 4 * h);
    add(into, owner, "lstm_wh", Init.fanIn(1.0, h), h, 4 * h);
    add(into, owner, "lstm_b", Init.constant(0), 4 * h);
  }

  private void add(List<Block> into, String owner, String local, Init init, int... shape) {
    String global = (owner == null ? "shared" : owner) + "/" + local;
    Block block = new Block(global, local, owner, shape, size, init);
    size += block.size();
    blocks.add(block);
    into.add(block);
  }

  public NetSpec spec() {
    return spec;
  }

  /** Total floats, shared and per game. */
  public int size() {
    return size;
  }

  public List<Block> blocks() {
    return List.copyOf(blocks);
  }

  /** The blocks one game's network uses, in graph order. */
  public List<Block> view(String game) {
    List<Block> view = views.get(game);
    if (view == null) {
      throw new IllegalArgumentException("no game " + game + " in " + views.keySet());
    }
    return view;
  }

  /** Fresh parameters: fan-in scaled uniform weights, zero biases, LSTM forget-gate bias 1. */
  public float[] initialParameters(long seed) {
    float[] theta = new float[size];
    SplittableRandom random = new SplittableRandom(seed);
    for (Block b : blocks) {
      for (int i = 0; i < b.size(); i++) {
        theta[b.offset() + i] = (float) (b.init().uniform()
            ? (2 * random.nextDouble() - 1) * b.init().scale() : b.init().constant());
      }
      if (b.localName().equals("lstm_b")) {
        java.util.Arrays.fill(theta, b.offset() + NetSpec.HIDDEN, b.offset() + 2 * NetSpec.HIDDEN, 1f);
      }
    }
    return theta;
  }
}
