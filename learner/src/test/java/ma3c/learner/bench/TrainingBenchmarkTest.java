package ma3c.learner.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import ma3c.cli.CliErrors;
import ma3c.cli.CommandRun;
import ma3c.learner.LearnerMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** `ma3c bench`'s options are checked before anything is measured; it cleans up after itself. */
class TrainingBenchmarkTest {
  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of(List.of("--threads", "0"), "--threads must be in 1..1024, got 0"),
        Arguments.of(List.of("--threads", "1,-1"), "--threads must be in 1..1024, got -1"),
        Arguments.of(List.of("--threads", "1025"), "--threads must be in 1..1024"),
        Arguments.of(List.of("--seconds", "0"), "--seconds must be in 1..86400, got 0"),
        Arguments.of(List.of("--seconds", "-1"), "--seconds must be in 1..86400, got -1"),
        Arguments.of(List.of("--warmup", "-1"), "--warmup must be in 0..86400, got -1"),
        Arguments.of(List.of("--game", "Pong!"), "--game 'Pong!' is not a game name"),
        Arguments.of(List.of("--cases", "ff5,fast"), "--cases: unknown case 'fast' (ff5, ff20, lstm20 or train)"),
        Arguments.of(List.of("--games-scaling", "13"), "--games-scaling must be in 1..12, got 13"),
        Arguments.of(List.of("--games-scaling", "0"), "--games-scaling must be in 1..12, got 0"),
        Arguments.of(List.of("--games-scaling", "2", "--rom-dir", "nowhere"),
            "--games-scaling pong: no pong.bin in"),
        Arguments.of(List.of("--game", "pong", "--rom-dir", "nowhere"), "--game pong: no pong.bin in"));
  }

  /**
   * A usage error, and no line of results. The other options are cheap ones, so that a check
   * that let a value through would measure for seconds, not minutes, and print a table.
   */
  @ParameterizedTest
  @MethodSource("badValues")
  void badValuesAreUsageErrors(List<String> bad, String message) {
    Map<String, String> options = new LinkedHashMap<>(Map.of("--game", "catch", "--threads", "1",
        "--seconds", "1", "--warmup", "0"));
    for (int i = 0; i < bad.size(); i += 2) {
      options.put(bad.get(i), bad.get(i + 1));
    }
    List<String> args = new ArrayList<>(List.of("bench"));
    options.forEach((option, value) -> args.addAll(List.of(option, value)));
    CommandRun r = CommandRun.of(LearnerMain.commandLine(), args.toArray(String[]::new));
    r.assertUsageError(message);
    assertEquals("", r.out(), "nothing measured");
  }

  /**
   * A whole bench, as short as it goes: a table line per case (the engine's three and train's
   * defaults), the same as JSON lines, and none of its cases' run directories left.
   */
  @Test
  void itMeasuresEveryCaseAndLeavesNoRunDirectoryBehind(@TempDir Path scratch, @TempDir Path noRoms,
      @TempDir Path out) throws IOException {
    TrainingBenchmark bench = new TrainingBenchmark();
    bench.scratch = scratch;
    Path json = out.resolve("bench.jsonl");
    CommandRun r = CommandRun.of(CliErrors.install(new CommandLine(bench)), "--game", "catch",
        "--threads", "1", "--seconds", "1", "--warmup", "0", "--rom-dir", noRoms.toString(),
        "--json", json.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(List.of("FF, t_max 5", "FF, t_max 20", "LSTM, t_max 20", "train defaults"),
        r.out().lines().filter(l -> l.matches("(FF|LSTM|train).* 1 .*")).map(l -> l.substring(0, 16).strip())
            .toList(), r.out());
    List<JsonObject> lines = Files.readAllLines(json).stream()
        .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    assertEquals(List.of("ff5", "ff20", "lstm20", "train"),
        lines.stream().map(o -> o.get("kind").getAsString()).toList());
    for (JsonObject o : lines) {
      assertTrue(o.get("framesPerSecond").getAsDouble() > 0, o.toString());
      assertEquals(o.get("framesPerSecond").getAsDouble() / o.get("aleAlone").getAsDouble(),
          o.get("ratio").getAsDouble(), 1e-9, o.toString());
      assertTrue(o.get("heapMiB").getAsLong() > 0, o.toString());
      assertEquals(List.of("catch"), List.of(o.get("games").getAsJsonArray().get(0).getAsString()));
    }
    try (Stream<Path> left = Files.list(scratch)) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void theHelpDescribesEveryOptionAndItsDefault() {
    CommandRun r = CommandRun.of(LearnerMain.commandLine(), "bench", "--help");
    assertEquals(0, r.exit(), r.err());
    String help = r.out().replaceAll("\\s+", " ");
    for (String described : List.of("--game=<game> The game", "Default: pong", "--rom-dir=DIR The ROM directory",
        "Default: 2,16", "Default: 30", "Default: 15")) {
      assertTrue(help.contains(described), described + " in: " + help);
    }
  }
}
