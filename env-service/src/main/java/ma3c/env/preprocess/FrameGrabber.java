package ma3c.env.preprocess;

import ma3c.env.ale.AtariEmulator;
import ma3c.env.v1.ObservationFormat;

/**
 * Turns the emulator's screens during one agent step into one observation: grabs the last two
 * frames, max-pools them, and converts to the requested format. Keeps its buffers between steps.
 */
public final class FrameGrabber {
  private static final int GRAY_84 = 84;

  private final ObservationFormat format;
  private final boolean rgb;
  private final byte[] last;
  private final byte[] previous;
  private final AreaResize resize;

  public FrameGrabber(ObservationFormat format) {
    this.format = format;
    this.rgb = format == ObservationFormat.RGB_FULL;
    int screen = AtariEmulator.SCREEN_HEIGHT * AtariEmulator.SCREEN_WIDTH * (rgb ? 3 : 1);
    this.last = new byte[screen];
    this.previous = new byte[screen];
    this.resize = format == ObservationFormat.GRAY_84
        ? new AreaResize(AtariEmulator.SCREEN_HEIGHT, AtariEmulator.SCREEN_WIDTH, GRAY_84, GRAY_84)
        : null;
  }

  /** Row-major shape of the observations produced. */
  public int[] shape() {
    return switch (format) {
      case GRAY_84 -> new int[] {GRAY_84, GRAY_84};
      case GRAY_FULL -> new int[] {AtariEmulator.SCREEN_HEIGHT, AtariEmulator.SCREEN_WIDTH};
      case RGB_FULL -> new int[] {AtariEmulator.SCREEN_HEIGHT, AtariEmulator.SCREEN_WIDTH, 3};
      default -> throw new IllegalArgumentException("unresolved observation format " + format);
    };
  }

  /** Remembers the current screen as the second-to-last frame of the step. */
  public void grabPrevious(AtariEmulator emulator) {
    grab(emulator, previous);
  }

  /**
   * The observation for the current screen, max-pooled with the frame given to grabPrevious when
   * {@code pool} is true. Returns a new array.
   */
  public byte[] observe(AtariEmulator emulator, boolean pool) {
    grab(emulator, last);
    if (pool) {
      MaxPool.maxInto(last, previous);
    }
    if (resize == null) {
      return last.clone();
    }
    byte[] out = new byte[resize.outputLength()];
    resize.apply(last, out);
    return out;
  }

  private void grab(AtariEmulator emulator, byte[] into) {
    if (rgb) {
      emulator.rgb(into);
    } else {
      emulator.grayscale(into);
    }
  }
}
