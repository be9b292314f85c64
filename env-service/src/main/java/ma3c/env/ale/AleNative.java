package ma3c.env.ale;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bytedeco.ale.ALEInterface;
import org.bytedeco.ale.StringOptional;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/** Loads ALE's native library once, quietly, and answers whether a file is a ROM ALE supports. */
public final class AleNative {
  private static final int LOGGER_MODE_ERROR = 2;
  private static volatile boolean loaded;

  private AleNative() {}

  /** Loads the library and turns ALE's logger down to errors (loadROM prints ~10 lines otherwise). */
  public static synchronized void load() {
    if (loaded) {
      return;
    }
    Loader.load(org.bytedeco.ale.global.ale.class);
    Pointer mode = Loader.addressof("_ZN3ale6Logger12current_modeE");
    if (mode != null && !mode.isNull()) {
      new IntPointer(mode).put(LOGGER_MODE_ERROR);
    }
    loaded = true;
  }

  /**
   * The name ALE knows this ROM by (it identifies ROMs by MD5), or empty when the file is not a
   * supported ROM. Calling {@code loadROM} on an unsupported or missing file would exit the JVM,
   * so every load goes through this check first.
   */
  public static Optional<String> supportedRomName(Path rom) {
    load();
    if (!Files.isRegularFile(rom) || !Files.isReadable(rom)) {
      return Optional.empty();
    }
    try (StringOptional name = ALEInterface.isSupportedROM(rom.toString())) {
      BytePointer value = name.get();
      return Optional.of(value.getString());
    } catch (RuntimeException unsupported) {
      return Optional.empty();
    }
  }
}
