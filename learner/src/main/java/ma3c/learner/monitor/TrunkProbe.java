package ma3c.learner.monitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ma3c.learner.algo.SharedModel;
import ma3c.model.A3CNet;
import ma3c.model.NetSpec;

/**
 * Trunk health on a fixed set of probe states per game (issue 11: the shared trunk collapsed in
 * the first few dozen updates, leaving V constant and most fc units dead). The states are
 * observations the actor threads saw early in the run (every {@link #EVERY}th, up to
 * {@link #STATES} per game); each report evaluates the current shared parameters on them.
 */
public final class TrunkProbe {
  /** Per game: the fraction of fc units active on at least one probe state, and V's range. */
  public record Health(double liveUnits, double valueSpread, int states) {}

  static final int STATES = 32;
  static final int EVERY = 37;

  private final Map<String, List<byte[]>> states = new LinkedHashMap<>();
  private final Map<String, Integer> offered = new LinkedHashMap<>();
  private volatile boolean full;

  public TrunkProbe(List<String> games) {
    for (String game : games) {
      states.put(game, new ArrayList<>());
      offered.put(game, 0);
    }
  }

  /** An observation an actor thread just saw; kept if the game's probe set needs it. */
  public void offer(String game, byte[] observation) {
    if (full) {
      return;
    }
    synchronized (this) {
      List<byte[]> kept = states.get(game);
      int n = offered.merge(game, 1, Integer::sum);
      if (kept.size() < STATES && n % EVERY == 0) {
        kept.add(observation.clone());
        full = states.values().stream().allMatch(s -> s.size() >= STATES);
      }
    }
  }

  /** The shared parameters' health on each game's probe states (games without states skipped). */
  public Map<String, Health> measure(SharedModel model) {
    Map<String, List<byte[]>> copy;
    synchronized (this) {
      copy = new LinkedHashMap<>();
      states.forEach((g, s) -> copy.put(g, List.copyOf(s)));
    }
    Map<String, Health> out = new LinkedHashMap<>();
    float[] hidden = new float[NetSpec.HIDDEN];
    copy.forEach((game, observations) -> {
      if (observations.isEmpty()) {
        return;
      }
      A3CNet net = new A3CNet(model.layout(), game, 1);
      model.copyTo(net);
      boolean[] live = new boolean[NetSpec.HIDDEN];
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (byte[] observation : observations) {
        net.resetState();
        double v = net.probe(observation, hidden);
        min = Math.min(min, v);
        max = Math.max(max, v);
        for (int i = 0; i < hidden.length; i++) {
          live[i] |= hidden[i] > 0;
        }
      }
      int alive = 0;
      for (boolean l : live) {
        alive += l ? 1 : 0;
      }
      out.put(game, new Health((double) alive / NetSpec.HIDDEN, max - min, observations.size()));
    });
    return out;
  }
}
