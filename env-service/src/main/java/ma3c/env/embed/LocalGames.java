package ma3c.env.embed;

import java.nio.file.Path;
import java.util.List;
import ma3c.env.ale.AleVersion;
import ma3c.env.ale.RomDirectory;
import ma3c.env.bench.EnvBenchmark;
import ma3c.env.contract.EnvException;
import ma3c.env.session.CatchEnv;
import ma3c.env.session.EnvConfigs;
import ma3c.env.session.GameCatalog;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.GameInfo;

/**
 * The games of a ROM directory as the env service on it sees them, asked in this process: the
 * games ListGames lists, an environment of one stepped in-process, and the emulator's speed.
 */
public final class LocalGames {
  /** The built-in game, which needs no ROM. */
  public static final String CATCH = CatchEnv.NAME;
  /** The environment variable that names the ROM directory when no flag does. */
  public static final String ROM_DIR_VARIABLE = RomDirectory.ENV_VAR;

  private final GameCatalog catalog;

  public LocalGames(Path romDir) {
    this.catalog = new GameCatalog(romDir);
  }

  /** The ROM directory: {@code flag} when given, else $ALE_ROM_DIR, else ./roms. */
  public static Path romDir(Path flag) {
    return RomDirectory.resolve(flag);
  }

  /** The version of ALE the embedded service emulates with, e.g. "0.7.3" (scores depend on it). */
  public static String aleVersion() {
    return AleVersion.version();
  }

  /** Whether {@code name} is what a game may be called: a ROM file's name without .bin. */
  public static boolean isGameName(String name) {
    return GameCatalog.GAME_NAME.matcher(name).matches();
  }

  /**
   * Why {@code game} cannot be played from the ROM directory {@code roms}, in one line for a
   * user (no ROM file for it), or null when it can (catch needs no ROM). For programs that start
   * the embedded service: they say so before starting it, not with its NOT_FOUND.
   */
  public static String missingRom(Path roms, String game) {
    return GameCatalog.missingRom(roms, game);
  }

  /** What ListGames answers on this ROM directory: every supported game and catch, by name. */
  public List<GameInfo> games() {
    return catalog.games();
  }

  /**
   * {@code game} with {@code config}'s settings and the service's defaults for the rest; fails
   * as OpenRequest does (NOT_FOUND: no such game; INVALID_ARGUMENT: a config out of range).
   */
  public LocalEnv open(String game, EnvConfig config) throws EnvException {
    return new LocalEnv(catalog.open(game, EnvConfigs.resolve(config)));
  }

  /**
   * Agent steps/s of {@code game} with random actions and {@code config}'s settings, in-process
   * on {@code threads} threads after {@code warmup} steps each: what the emulator and the
   * preprocessing alone can do (what the env bench calls (a) and (d)).
   */
  public double stepsPerSecond(String game, EnvConfig config, int threads, int warmup, int steps)
      throws Exception {
    return EnvBenchmark.inProcessStepsPerSecond(catalog, game, config, threads, warmup, steps);
  }
}
