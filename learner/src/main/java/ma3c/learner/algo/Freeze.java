package ma3c.learner.algo;

import java.util.Locale;
import ma3c.model.ParameterLayout;

/**
 * Which parameter blocks a fine-tuning run keeps as it found them (--freeze): the paper's future
 * work, learning a new game by training only a subset of a multi-task network.
 */
public enum Freeze {
  /** Every block trains. */
  NONE,
  /** The two convolutional layers stay fixed: the features closest to the pixels. */
  CONV,
  /**
   * Every block the games share stays fixed (theta: conv and fc, and the LSTM where it is shared,
   * as in MA3C-2); only the per-game blocks train (heads, and MA3C-1's per-game LSTM).
   */
  TRUNK;

  public boolean covers(ParameterLayout.Block block) {
    return switch (this) {
      case NONE -> false;
      case CONV -> block.owner() == null && block.localName().startsWith("conv");
      case TRUNK -> block.owner() == null;
    };
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Freeze of(String id) {
    for (Freeze f : values()) {
      if (f.id().equalsIgnoreCase(id)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown freeze level '" + id + "': use none, conv or trunk");
  }
}
