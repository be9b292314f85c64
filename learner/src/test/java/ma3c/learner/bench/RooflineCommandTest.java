package ma3c.learner.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import ma3c.cli.CommandRun;
import ma3c.learner.LearnerMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** `ma3c roofline`'s options are checked before anything is recorded or measured. */
class RooflineCommandTest {
  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of(List.of("--seconds", "0"), "--seconds must be in 1..3600, got 0"),
        Arguments.of(List.of("--seconds", "3601"), "--seconds must be in 1..3600, got 3601"),
        Arguments.of(List.of("--warmup", "-1"), "--warmup must be in 0..3600, got -1"),
        Arguments.of(List.of("--game", "Pong!"), "--game 'Pong!' is not a game name"),
        Arguments.of(List.of("--game", "pong", "--rom-dir", "nowhere"), "--game pong: no pong.bin in"));
  }

  /** A usage error (one line, exit 2), and no line of results. */
  @ParameterizedTest
  @MethodSource("badValues")
  void badValuesAreUsageErrors(List<String> bad, String message) {
    Map<String, String> options = new LinkedHashMap<>(Map.of("--game", "catch", "--seconds", "1",
        "--warmup", "0"));
    for (int i = 0; i < bad.size(); i += 2) {
      options.put(bad.get(i), bad.get(i + 1));
    }
    List<String> args = new ArrayList<>(List.of("roofline"));
    options.forEach((option, value) -> args.addAll(List.of(option, value)));
    CommandRun r = CommandRun.of(LearnerMain.commandLine(), args.toArray(String[]::new));
    r.assertUsageError(message);
    assertEquals("", r.out(), "nothing measured");
  }

  @Test
  void theHelpDescribesEveryOptionAndItsDefault() {
    CommandRun r = CommandRun.of(LearnerMain.commandLine(), "roofline", "--help");
    assertEquals(0, r.exit(), r.err());
    String help = r.out().replaceAll("\\s+", " ");
    for (String described : List.of("--game=<game> The game", "Default: pong", "--rom-dir=DIR The ROM directory",
        "--seconds=<seconds> Measured seconds per case", "Default: 10", "Default: 3")) {
      assertTrue(help.contains(described), described + " in: " + help);
    }
  }
}
