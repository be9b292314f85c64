package ma3c.env;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import ma3c.env.ale.RomDirectory;

/** The ROM directory for tests: {@code $ALE_ROM_DIR} or ./roms. .ci/run fails if these tests skip. */
public final class TestRoms {
  private TestRoms() {}

  public static Path dir() {
    Path dir = RomDirectory.resolve(null);
    assumeTrue(Files.isRegularFile(dir.resolve("pong.bin")),
        "ROM tests need ROMs: set ALE_ROM_DIR (no pong.bin in " + dir.toAbsolutePath() + ")");
    return dir;
  }
}
