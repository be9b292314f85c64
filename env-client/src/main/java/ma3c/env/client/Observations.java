package ma3c.env.client;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import ma3c.env.v1.Compression;
import ma3c.env.v1.Observation;

/** Unpacks observation bytes, undoing the session's compression. */
public final class Observations {
  private Observations() {}

  /** The packed uint8 pixels; {@code length} is the product of the spec's shape. */
  public static byte[] pixels(Observation observation, int length) {
    if (observation.getCompression() != Compression.ZLIB) {
      return observation.getData().toByteArray();
    }
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(observation.getData().toByteArray());
      byte[] out = new byte[length];
      int n = 0;
      while (n < length && !inflater.finished()) {
        n += inflater.inflate(out, n, length - n);
        if (n < length && inflater.needsInput()) {
          break;
        }
      }
      if (n != length) {
        throw new IllegalArgumentException("observation inflated to " + n + " bytes, expected " + length);
      }
      return out;
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("corrupt zlib observation", e);
    } finally {
      inflater.end();
    }
  }
}
