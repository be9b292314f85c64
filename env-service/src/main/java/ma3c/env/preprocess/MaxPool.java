package ma3c.env.preprocess;

/** Pixel-wise max of two uint8 frames: removes the flicker of sprites drawn every other frame. */
public final class MaxPool {
  private MaxPool() {}

  /** {@code into[i] = max(into[i], other[i])}, unsigned. */
  public static void maxInto(byte[] into, byte[] other) {
    for (int i = 0; i < into.length; i++) {
      if ((other[i] & 0xFF) > (into[i] & 0xFF)) {
        into[i] = other[i];
      }
    }
  }
}
