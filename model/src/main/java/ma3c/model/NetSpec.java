package ma3c.model;

import java.util.TreeMap;
import java.util.List;
import java.util.Map;

/**
 * The network of the A3C paper: 84x84 input, conv 16 8x8/4, conv 32 4x4/2, fc 256, optionally an
 * LSTM 256, then per game a softmax policy and a linear value. The feed-forward net sees
 * {@link #FF_FRAMES} stacked frames, the LSTM net one frame a step.
 *
 * @param games the games, each with its action count; kept sorted by name, so that the parameter
 *     layout does not depend on the order a caller's map happens to iterate in
 */
public record NetSpec(Architecture architecture, boolean lstm, Map<String, Integer> games) {
  public static final int SIZE = 84;
  public static final int FF_FRAMES = 4;
  public static final int CONV1 = 16;
  public static final int CONV2 = 32;
  public static final int CONV2_OUT = 9;
  public static final int FLAT = CONV2 * CONV2_OUT * CONV2_OUT;
  public static final int HIDDEN = 256;

  public NetSpec {
    games = new TreeMap<>(games);
    if (games.isEmpty()) {
      throw new IllegalArgumentException("no games");
    }
    if (architecture == Architecture.A3C && games.size() != 1) {
      throw new IllegalArgumentException("a3c trains one game; use ma3c-1 or ma3c-2 for " + games.keySet());
    }
  }

  /** Input frames per observation. */
  public int frames() {
    return lstm ? 1 : FF_FRAMES;
  }

  public int actions(String game) {
    Integer n = games.get(game);
    if (n == null) {
      throw new IllegalArgumentException("game " + game + " is not part of this net: " + games.keySet());
    }
    return n;
  }

  public List<String> gameNames() {
    return List.copyOf(games.keySet());
  }
}
