package ma3c.env.ale;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.ale.ALEInterface;
import org.bytedeco.javacpp.IntPointer;

/**
 * One ALE instance with one ROM loaded, frame by frame (no frame skip: the caller repeats actions
 * so that it can max-pool the last two frames). Not thread-safe: one thread at a time.
 */
public final class AtariEmulator implements AutoCloseable {
  public static final int SCREEN_HEIGHT = 210;
  public static final int SCREEN_WIDTH = 160;

  private static final AtomicInteger LIVE = new AtomicInteger();

  private final Path rom;
  private final float repeatActionProbability;
  private final int[] minimalActions;
  private ALEInterface ale;

  /**
   * Loads {@code rom} with sticky-action probability {@code repeatActionProbability} and the given
   * seed. Throws RomException instead of letting ALE exit the JVM on a bad ROM.
   */
  public AtariEmulator(Path rom, float repeatActionProbability, int seed) throws RomException {
    if (AleNative.supportedRomName(rom).isEmpty()) {
      throw new RomException("not a ROM that ALE supports (or unreadable): " + rom);
    }
    this.rom = rom;
    this.repeatActionProbability = repeatActionProbability;
    this.ale = new ALEInterface();
    LIVE.incrementAndGet();
    load(seed);
    this.minimalActions = toArray(ale.getMinimalActionSet());
  }

  /** ALE instances open in this JVM (for leak checks). */
  public static int liveInstances() {
    return LIVE.get();
  }

  /** Reloads the ROM with a new seed: ALE reads its settings only when a ROM is loaded (~90 ms). */
  public void reseed(int seed) {
    load(seed);
  }

  private void load(int seed) {
    ale.setInt("random_seed", seed);
    ale.setFloat("repeat_action_probability", repeatActionProbability);
    ale.setInt("frame_skip", 1);
    ale.setBool("color_averaging", false);
    // The frame cap is enforced by the caller, which must tell truncation from game over.
    ale.setInt("max_num_frames_per_episode", 0);
    ale.loadROM(rom.toString());
  }

  /** ALE action codes of the game's minimal action set. */
  public int[] minimalActions() {
    return minimalActions.clone();
  }

  /** Plays one frame; returns its reward. */
  public int act(int aleAction) {
    return ale.act(aleAction);
  }

  public boolean gameOver() {
    return ale.game_over();
  }

  public void resetGame() {
    ale.reset_game();
  }

  public int lives() {
    return ale.lives();
  }

  public int episodeFrameNumber() {
    return ale.getEpisodeFrameNumber();
  }

  /** Writes the 210x160 grayscale screen into {@code out}. */
  public void grayscale(byte[] out) {
    ale.getScreenGrayscale(out);
  }

  /** Writes the 210x160x3 RGB screen into {@code out}. */
  public void rgb(byte[] out) {
    ale.getScreenRGB(out);
  }

  @Override
  public void close() {
    if (ale != null) {
      ale.close();
      ale = null;
      LIVE.decrementAndGet();
    }
  }

  private static int[] toArray(IntPointer actions) {
    int[] out = new int[(int) actions.limit()];
    actions.get(out);
    return out;
  }
}
