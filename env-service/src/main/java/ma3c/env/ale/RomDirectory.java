package ma3c.env.ale;

import java.nio.file.Path;

/** Where ROMs are found: an explicit flag, else {@code $ALE_ROM_DIR}, else {@code ./roms}. */
public final class RomDirectory {
  public static final String ENV_VAR = "ALE_ROM_DIR";

  private RomDirectory() {}

  public static Path resolve(Path flag) {
    if (flag != null) {
      return flag;
    }
    String env = System.getenv(ENV_VAR);
    return env != null && !env.isBlank() ? Path.of(env) : Path.of("roms");
  }
}
