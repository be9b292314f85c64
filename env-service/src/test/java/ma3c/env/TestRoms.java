package ma3c.env;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import ma3c.env.ale.RomDirectory;

/**
 * The ROM directory for tests: {@code $ALE_ROM_DIR} or ./roms. A test that needs a game's ROM
 * skips, naming the ROM, where it is missing; .ci/run fails when any test skipped.
 */
public final class TestRoms {
  private TestRoms() {}

  /** The directory, with pong.bin in it and each of {@code games}' ROMs. */
  public static Path dir(String... games) {
    Path dir = RomDirectory.resolve(null);
    require(dir, "pong");
    for (String game : games) {
      require(dir, game);
    }
    return dir;
  }

  /** The directory, holding at least {@code count} ROM files (tests of a whole ROM set). */
  public static Path withAtLeast(int count) throws java.io.IOException {
    Path dir = dir();
    try (var files = Files.list(dir)) {
      long roms = files.filter(f -> f.getFileName().toString().endsWith(".bin")).count();
      assumeTrue(roms >= count, "needs a ROM set of at least " + count + " ROMs, "
          + dir.toAbsolutePath() + " has " + roms + " (set ALE_ROM_DIR)");
    }
    return dir;
  }

  private static void require(Path dir, String game) {
    assumeTrue(Files.isRegularFile(dir.resolve(game + ".bin")),
        "needs " + game + ".bin in " + dir.toAbsolutePath() + " (set ALE_ROM_DIR)");
  }
}
