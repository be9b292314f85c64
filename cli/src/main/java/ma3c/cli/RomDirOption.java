package ma3c.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --rom-dir, as every program that runs Atari games takes it (a mixin). */
public final class RomDirOption {
  @Option(names = "--rom-dir", paramLabel = "DIR",
      description = "The ROM directory (default: $ALE_ROM_DIR, else ./roms).")
  private Path dir;

  /** The directory given; null: the default ($ALE_ROM_DIR, else ./roms), resolved by the env service. */
  public Path given() {
    return dir;
  }

  /** Set by a program rather than the command line. */
  public void set(Path given) {
    this.dir = given;
  }
}
