package ma3c.model;

/** The last k frames, oldest first, as one packed uint8 observation of shape [k, H, W]. */
public final class FrameStack {
  private final int frames;
  private final int frameSize;
  private final byte[] stack;

  public FrameStack(int frames, int frameSize) {
    this.frames = frames;
    this.frameSize = frameSize;
    this.stack = new byte[frames * frameSize];
  }

  /** Starts an episode: every slot holds the first frame. */
  public void reset(byte[] frame) {
    for (int k = 0; k < frames; k++) {
      System.arraycopy(frame, 0, stack, k * frameSize, frameSize);
    }
  }

  /** Drops the oldest frame and appends {@code frame}. */
  public void push(byte[] frame) {
    System.arraycopy(stack, frameSize, stack, 0, (frames - 1) * frameSize);
    System.arraycopy(frame, 0, stack, (frames - 1) * frameSize, frameSize);
  }

  /** A copy of the current observation. */
  public byte[] observation() {
    return stack.clone();
  }
}
