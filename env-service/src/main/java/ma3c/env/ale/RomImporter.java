package ma3c.env.ale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Copies the ROMs ALE supports from a folder into a ROM directory, each named by the game ALE
 * identifies from its MD5 (like ale-py's ale-import-roms). Each copy is atomic.
 */
public final class RomImporter {
  /** What happened to one file. */
  public record Outcome(Path source, Optional<String> game) {}

  private RomImporter() {}

  public static List<Outcome> importAll(Path from, Path romDir) throws IOException {
    Files.createDirectories(romDir);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(from)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (Path file : files) {
      Optional<String> game = AleNative.supportedRomName(file);
      if (game.isPresent()) {
        Path target = romDir.resolve(game.get() + ".bin");
        Path tmp = Files.createTempFile(romDir, ".import-", ".tmp");
        try {
          Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
      outcomes.add(new Outcome(file, game));
    }
    return outcomes;
  }
}
