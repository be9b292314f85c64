package ma3c.learner.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ma3c.cli.CommandRun;
import ma3c.learner.LearnerMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A manifest's mistakes, each named in one line before anything trains. */
class ManifestTest {
  @TempDir
  Path dir;

  /** A valid two-arm manifest on catch, with {@code replace} pairs applied to its text. */
  private Path manifest(String... replace) throws IOException {
    String text = "{\"figure\": \"tiny\", \"title\": \"Catch\", \"games\": [\"catch\"],"
        + " \"arms\": [{\"name\": \"A3C\", \"arch\": \"a3c\"}, {\"name\": \"MA3C-2\", \"arch\": \"ma3c-2\"}],"
        + " \"lstm\": false, \"threadsPerGame\": 1, \"framesPerGame\": 1000, \"seeds\": [1],"
        + " \"train\": [\"--progress-every\", \"60\"]}";
    for (int i = 0; i < replace.length; i += 2) {
      assertTrue(text.contains(replace[i]), replace[i]);
      text = text.replace(replace[i], replace[i + 1]);
    }
    Path file = dir.resolve("m.json");
    Files.writeString(file, text);
    return file;
  }

  /** The problems Manifest.load reports for the manifest with {@code replace} applied. */
  private String problems(String... replace) throws IOException {
    Path file = manifest(replace);
    String message = assertThrows(IOException.class, () -> Manifest.load(file)).getMessage();
    assertFalse(message.contains("Exception"), message);
    return message;
  }

  private static void assertContains(String text, String... parts) {
    for (String part : parts) {
      assertTrue(text.contains(part), "'" + part + "' in: " + text);
    }
  }

  @Test
  void theValidManifestLoads() throws IOException {
    assertEquals(2, Manifest.load(manifest()).arms().size());
  }

  @Test
  void unknownKeysAreNamedWithTheKnownOnes() throws IOException {
    assertContains(problems("\"lstm\": false", "\"lstn\": true"),
        "unknown key lstn (known: figure, title, games, arms, lstm, threadsPerGame");
    assertContains(problems("\"arch\": \"ma3c-2\"", "\"arch\": \"ma3c-2\", \"freez\": \"conv\""),
        "unknown key arms[1].freez (known: name, arch, games, initFrom, freeze, train, teachersFrom)");
  }

  @Test
  void armsNeedANameOfTheirOwn() throws IOException {
    assertContains(problems("\"MA3C-2\"", "\"A3C\""), "two arms are named 'A3C'");
    assertContains(problems("\"name\": \"MA3C-2\", ", ""), "arm 2 has no name");
    assertContains(problems("\"MA3C-2\"", "\" \""), "arm 2 has no name");
  }

  @Test
  void wrongJsonTypesAreNamed() throws IOException {
    assertContains(problems("{\"name\": \"A3C\", \"arch\": \"a3c\"}", "null"),
        "arms[0] must be an object {...}, got null");
    assertContains(problems("\"threadsPerGame\": 1", "\"threadsPerGame\": \"x\""),
        "threadsPerGame must be a whole number, got \"x\"");
    assertContains(problems("\"threadsPerGame\": 1", "\"threadsPerGame\": null"),
        "threadsPerGame must be a whole number, got null");
    assertContains(problems("\"threadsPerGame\": 1", "\"threadsPerGame\": 1e10"),
        "threadsPerGame is out of range: 1e10");
    assertContains(problems("\"lstm\": false", "\"lstm\": \"yes\""), "lstm must be true or false");
    assertContains(problems("\"seeds\": [1]", "\"seeds\": [1.5, null]"),
        "seeds[0] must be a whole number, got 1.5", "seeds[1] must be a whole number, got null");
    assertContains(problems("\"games\": [\"catch\"]", "\"games\": \"catch\""),
        "games must be a list [...], got \"catch\"");
    assertContains(problems("\"name\": \"A3C\"", "\"name\": 5"), "arms[0].name must be a string, got 5");
    Path list = dir.resolve("list.json");
    Files.writeString(list, "[1]");
    assertContains(assertThrows(IOException.class, () -> Manifest.load(list)).getMessage(),
        "the manifest must be an object {...}, got [1]");
  }

  @Test
  void malformedJsonIsOneLineWithItsPlace() throws IOException {
    String message = problems("\"lstm\": false,", "\"lstm\": false,,");
    assertContains(message, "at line 1 column");
    assertFalse(message.contains("\n"), message);
  }

  @Test
  void threadsAndFramesStayWithinTrainsBounds() throws IOException {
    assertContains(problems("\"threadsPerGame\": 1", "\"threadsPerGame\": 100000"),
        "threadsPerGame must be in 1..1024, got 100000");
    assertContains(problems("\"framesPerGame\": 1000", "\"framesPerGame\": 9223372036854775807"),
        "framesPerGame must be in 1..1000000000000, got 9223372036854775807");
    assertEquals(1_000_000_000_000L, Manifest.load(manifest("\"framesPerGame\": 1000",
        "\"framesPerGame\": 1000000000000")).framesPerGame());
    // MA3C-2 runs both games in one run: 2 x 600 threads; A3C one run of 600 per game.
    assertContains(problems("[\"catch\"]", "[\"catch\", \"pong\"]", "\"threadsPerGame\": 1",
        "\"threadsPerGame\": 600"), "arm MA3C-2: 600 threads per game on 2 games is over 1024 threads");
  }

  @Test
  void gamesAndSeedsAreListedOnce() throws IOException {
    assertContains(problems("[\"catch\"]", "[\"catch\", \"catch\"]"), "games lists catch twice");
    assertContains(problems("[\"catch\"]", "[\"catch,pong\"]"), "games: 'catch,pong' is not a game name");
    assertContains(problems("\"arch\": \"ma3c-2\"", "\"arch\": \"ma3c-2\", \"games\": [\"catch\", \"catch\"]"),
        "arm MA3C-2: games lists catch twice");
    assertContains(problems("\"seeds\": [1]", "\"seeds\": [1, 2, 1]"), "seeds lists 1 twice");
  }

  /** The manifest with {@code claims} (a JSON list) added. */
  private Path withClaims(String claims, String... replace) throws IOException {
    String[] all = java.util.Arrays.copyOf(replace, replace.length + 2);
    all[replace.length] = "\"seeds\": [1],";
    all[replace.length + 1] = "\"seeds\": [1], \"claims\": " + claims + ",";
    return manifest(all);
  }

  private String claimProblems(String claims, String... replace) throws IOException {
    Path file = withClaims(claims, replace);
    String message = assertThrows(IOException.class, () -> Manifest.load(file)).getMessage();
    assertFalse(message.contains("Exception") || message.contains("\n"), message);
    return message;
  }

  @Test
  void theFiguresClaimsLoad() throws IOException {
    Manifest m = Manifest.load(withClaims("[{\"game\": \"catch\", \"ratio\": 2, \"says\": \"about 2x\"}]"));
    assertEquals(List.of(new Manifest.Claim("catch", 2.0, "about 2x")), m.claimsOrNone());
    assertEquals(m.claims(), m.with(5000L, List.of(1L, 2L)).claims(), "kept with other seeds");
    assertEquals(List.of(), Manifest.load(manifest()).claimsOrNone(), "optional");
  }

  @Test
  void aBadClaimIsOneClearLine() throws IOException {
    assertContains(claimProblems("[{\"game\": \"pong\", \"ratio\": 2, \"says\": \"2x\"}]"),
        "claims[0]: game must be one of the figure's games [catch], got pong");
    assertContains(claimProblems("[{\"game\": \"catch\", \"ratio\": -1, \"says\": \"2x\"}]"),
        "claims[0]: ratio must be the paper's MA3C / A3C, a number above 0 (2.0 for about 2x, 1.0 for about equal), got -1.0");
    assertContains(claimProblems("[{\"game\": \"catch\", \"says\": \"2x\"}]"), "claims[0]: ratio must be", "got null");
    assertContains(claimProblems("[{\"game\": \"catch\", \"ratio\": \"2x\", \"says\": \"2x\"}]"),
        "claims[0].ratio must be a number, got \"2x\"");
    assertContains(claimProblems("[{\"game\": \"catch\", \"ratio\": 2, \"says\": \" \"}]"),
        "claims[0]: says must quote what the paper says");
    assertContains(claimProblems("[{\"game\": \"catch\", \"ratio\": 2, \"sayz\": \"2x\"}]"),
        "unknown key claims[0].sayz (known: game, ratio, says)");
    assertContains(claimProblems("[{\"game\": \"catch\", \"ratio\": 2, \"says\": \"2x\"},"
        + " {\"game\": \"catch\", \"ratio\": 1, \"says\": \"equal\"}]"), "claims[1]: a second claim about catch");
    assertContains(claimProblems("{\"game\": \"catch\"}"), "claims must be a list [...]");
    assertContains(claimProblems("[{\"game\": \"catch\", \"ratio\": 2, \"says\": \"2x\"}]",
        "\"arch\": \"a3c\"", "\"arch\": \"ma3c-1\""), "claims compare the arms with A3C, but no arm has arch a3c");
  }

  private CommandRun experiment(Path file, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("experiment", file.toString(),
        "--runs-dir", dir.resolve("runs").toString(), "--results-dir", dir.resolve("results").toString()));
    args.addAll(List.of(more));
    return CommandRun.of(LearnerMain.commandLine(), args.toArray(String[]::new));
  }

  /** Checked even with --report-only (which trains nothing either way). */
  @Test
  void theCommandLinesOverridesAreUsageErrors() throws IOException {
    Path file = manifest();
    experiment(file, "--report-only", "--seeds", "1,2,1").assertUsageError("--seeds lists 1 twice");
    experiment(file, "--report-only", "--frames-per-game", "9223372036854775807")
        .assertUsageError("--frames-per-game must be in 1..1000000000000");
    experiment(file, "--report-only", "--env", "localhost").assertUsageError("host:port");
    assertFalse(Files.exists(dir.resolve("results")), "nothing written");
  }

  /**
   * The second arm's train options are bad: the experiment stops before the first arm trains
   * (checked one by one, the first arm's run would be in runs/ by then).
   */
  @ParameterizedTest
  @ValueSource(strings = {"--bogus", "--lr,NaN", "--run-dir,elsewhere", "--freeze,conv", "--help"})
  void everyArmsTrainOptionsAreCheckedBeforeTheFirstTrains(String options) throws IOException {
    String list = "[\"" + String.join("\", \"", options.split(",")) + "\"]";
    Path file = manifest("\"arch\": \"ma3c-2\"", "\"arch\": \"ma3c-2\", \"train\": " + list);
    CommandRun r = experiment(file);
    assertEquals(1, r.exit(), r.err());
    assertEquals(1, r.errLines().size(), r.err());
    assertContains(r.err(), "arm MA3C-2: its train options:", options.split(",")[0]);
    assertFalse(Files.exists(dir.resolve("runs")), "nothing trained");
  }

  /** Gson would keep the last of two equal keys: the manifest is refused, naming the key. */
  @Test
  void aKeyGivenTwiceIsRefused() throws IOException {
    assertContains(problems("\"lstm\": false", "\"lstm\": false, \"lstm\": true"), "key lstm is given twice");
    assertContains(problems("{\"name\": \"A3C\", \"arch\": \"a3c\"}",
        "{\"name\": \"A3C\", \"arch\": \"a3c\", \"arch\": \"ma3c-1\"}"), "key arms[0].arch is given twice");
  }

  /** A game without its ROM stops the experiment before the first run trains, in one line. */
  @Test
  void aMissingRomIsNamedBeforeTheFirstRunTrains() throws IOException {
    Path file = manifest("\"games\": [\"catch\"]", "\"games\": [\"catch\", \"nosuchgame\"]");
    CommandRun r = experiment(file, "--rom-dir", dir.toString());
    assertEquals(1, r.exit(), r.err());
    assertEquals(1, r.errLines().size(), r.err());
    assertContains(r.err(), "unknown game 'nosuchgame': no ROM", "nosuchgame.bin");
    assertFalse(Files.exists(dir.resolve("runs")), "nothing trained");
  }
}
