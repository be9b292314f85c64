package ma3c.learner.bench;

import java.nio.file.Path;
import ma3c.cli.OptionChecks;
import ma3c.env.embed.LocalGames;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** --game of the benchmarks (a mixin), and the checks that its ROM is there. */
final class BenchGame {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--game", defaultValue = "pong", paramLabel = "<game>",
      description = "The game: a ROM's name without .bin, or the built-in catch. Default: ${DEFAULT-VALUE}.")
  String name;

  /** The game, checked: a game's name, with its ROM in {@code roms}. */
  String checked(Path roms) {
    if (!LocalGames.isGameName(name)) {
      throw OptionChecks.usage(spec, "--game '" + name + "' is not a game name (a ROM's name without .bin, or catch)");
    }
    requireRom(roms, "--game", name);
    return name;
  }

  /** A usage error naming {@code option} where {@code game}'s ROM is missing. */
  void requireRom(Path roms, String option, String game) {
    if (LocalGames.missingRom(roms, game) != null) {
      throw OptionChecks.usage(spec, option + " " + game + ": no " + game + ".bin in "
          + roms.toAbsolutePath() + " (pass --rom-dir, set ALE_ROM_DIR or put the ROMs in ./roms)");
    }
  }
}
