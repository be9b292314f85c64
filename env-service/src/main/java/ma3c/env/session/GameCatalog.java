package ma3c.env.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import ma3c.env.ale.AleNative;
import ma3c.env.ale.AtariActions;
import ma3c.env.ale.AtariEmulator;
import ma3c.env.ale.RomDirectory;
import ma3c.env.ale.RomException;
import ma3c.env.contract.EnvException;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.GameInfo;
import ma3c.grpc.server.Echo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The games: the built-in "catch", and the {@code <name>.bin} files in a ROM directory that ALE
 * supports. The directory is
 * listed on every call, so ROMs imported while the server runs show up; what a ROM's action set is
 * costs a ROM load (~90 ms) and is remembered per file.
 */
public final class GameCatalog {
  private static final Logger log = LoggerFactory.getLogger(GameCatalog.class);
  private static final String ROM_SUFFIX = ".bin";
  /** What a game may be called: its ROM file's name without .bin. */
  public static final Pattern GAME_NAME = Pattern.compile("[a-z0-9_]{1,64}");
  /** Keyed by ROM path, size and modification time, shared by all catalogs in the JVM. */
  private static final Map<String, Optional<GameInfo>> INFO = new ConcurrentHashMap<>();

  private final Path romDir;

  public GameCatalog(Path romDir) {
    this.romDir = romDir.toAbsolutePath().normalize();
  }

  public Path romDir() {
    return romDir;
  }

  /** Every supported game and the built-in "catch", sorted by name. */
  public List<GameInfo> games() {
    List<GameInfo> games = new ArrayList<>();
    games.add(GameInfo.newBuilder().setName(CatchEnv.NAME)
        .addAllMinimalActionMeanings(CatchEnv.ACTIONS)
        .setFullActionCount(AtariActions.FULL_ACTION_COUNT)
        .build());
    // In parallel: a server's start (and its health) waits for the first listing, ~90 ms per ROM.
    romFiles().parallelStream().map(GameCatalog::info).flatMap(Optional::stream)
        .forEachOrdered(games::add);
    games.sort(Comparator.comparing(GameInfo::getName));
    return games;
  }

  /**
   * Opens an environment; NOT_FOUND for an unknown game, a missing or an unsupported ROM. Messages
   * go to clients: they echo at most the first 64 characters of the name and no server path.
   */
  public GameEnv open(String game, EnvConfig resolvedConfig) throws EnvException {
    if (CatchEnv.NAME.equals(game)) {
      return new CatchEnv(resolvedConfig);
    }
    Path rom = romFor(game);
    try {
      return new AtariEnv(game, rom, resolvedConfig);
    } catch (RomException e) {
      log.warn("cannot open game '{}': {}", game, e.getMessage());
      throw EnvException.notFound("game '" + game + "': its ROM is not a ROM that ALE supports"
          + " (or unreadable)");
    }
  }

  /**
   * Why {@code game} cannot be played from the ROM directory {@code roms}, in one line for a
   * user (no ROM file for it), or null when it can (built-in games need no ROM). For programs
   * that start the embedded service: they say so before starting it, not with its NOT_FOUND.
   */
  public static String missingRom(Path roms, String game) {
    Path rom = roms.resolve(game + ROM_SUFFIX);
    if (game.equals(CatchEnv.NAME) || Files.isRegularFile(rom)) {
      return null;
    }
    return "unknown game '" + game + "': no ROM " + rom.toAbsolutePath()
        + " (ROMs: --rom-dir, else $" + RomDirectory.ENV_VAR + ", else ./roms)";
  }

  private Path romFor(String game) throws EnvException {
    if (!GAME_NAME.matcher(game).matches()) {
      throw EnvException.notFound("unknown game '" + Echo.of(game) + "': names are lower-case ROM file"
          + " names without .bin, e.g. 'pong'; see ListGames");
    }
    Path rom = romDir.resolve(game + ROM_SUFFIX);
    if (!Files.isRegularFile(rom)) {
      throw EnvException.notFound("unknown game '" + game + "': no ROM " + rom.getFileName()
          + " in the server's ROM directory (see ListGames)");
    }
    return rom;
  }

  private List<Path> romFiles() {
    if (!Files.isDirectory(romDir)) {
      log.warn("ROM directory {} does not exist", romDir);
      return List.of();
    }
    try (Stream<Path> files = Files.list(romDir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(ROM_SUFFIX))
          .filter(p -> GAME_NAME.matcher(gameName(p)).matches())
          .sorted()
          .toList();
    } catch (IOException e) {
      log.warn("cannot list ROM directory {}: {}", romDir, e.toString());
      return List.of();
    }
  }

  private static String gameName(Path rom) {
    String file = rom.getFileName().toString();
    return file.substring(0, file.length() - ROM_SUFFIX.length());
  }

  private static Optional<GameInfo> info(Path rom) {
    String key;
    try {
      key = rom + ":" + Files.size(rom) + ":" + Files.getLastModifiedTime(rom).toMillis();
    } catch (IOException e) {
      return Optional.empty();
    }
    return INFO.computeIfAbsent(key, k -> describe(rom));
  }

  private static Optional<GameInfo> describe(Path rom) {
    if (AleNative.supportedRomName(rom).isEmpty()) {
      log.info("skipping {}: not a ROM that ALE supports", rom.getFileName());
      return Optional.empty();
    }
    try (AtariEmulator emulator = new AtariEmulator(rom, 0f, 1)) {
      int[] minimal = emulator.minimalActions();
      GameInfo.Builder info = GameInfo.newBuilder()
          .setName(gameName(rom))
          .setFullActionCount(AtariActions.FULL_ACTION_COUNT)
          .setNeedsFireOnReset(AtariEnv.needsFire(minimal));
      for (int a : minimal) {
        info.addMinimalActionMeanings(AtariActions.MEANINGS.get(a));
      }
      return Optional.of(info.build());
    } catch (RomException e) {
      return Optional.empty();
    }
  }
}
