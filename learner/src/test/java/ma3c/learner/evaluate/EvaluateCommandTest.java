package ma3c.learner.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import ma3c.cli.CommandRun;
import ma3c.env.session.CatchEnv;
import ma3c.learner.LearnerMain;
import ma3c.learner.run.Checkpoint;
import ma3c.model.Architecture;
import ma3c.model.onnx.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** `ma3c evaluate`: what it prints and writes, and its one-line errors. */
@Timeout(120)
class EvaluateCommandTest {
  @TempDir Path dir;

  private CommandRun evaluate(String... args) {
    String[] line = new String[args.length + 3];
    line[0] = "evaluate";
    System.arraycopy(args, 0, line, 1, args.length);
    // ROMs are not needed for catch: an empty directory keeps the test independent of any.
    line[args.length + 1] = "--rom-dir";
    line[args.length + 2] = dir.toString();
    return CommandRun.of(LearnerMain.commandLine(), line);
  }

  private static JsonObject read(Path file) throws Exception {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }

  private static List<Double> numbers(JsonElement array) {
    return StreamSupport.stream(array.getAsJsonArray().spliterator(), false)
        .map(JsonElement::getAsDouble).toList();
  }

  @Test
  void aRunIsEvaluatedIntoEvaluationJsonInItsDirectory() throws Exception {
    Path run = dir.resolve("run");
    Checkpoint checkpoint = CatchRuns.uniform(run, false);

    CommandRun r = evaluate("--run", run.toString(), "--episodes", "6", "--threads", "2");

    assertEquals(0, r.exit(), r.err());
    Path file = run.resolve(Evaluation.FILE);
    assertTrue(r.out().matches("(?s)catch: mean -?\\d\\.\\d\\d, 95% CI \\[-?\\d+\\.\\d\\d, -?\\d+\\.\\d\\d\\],"
        + " min -?1, max -?1, 6 episodes, 0 truncated\\R" + "wrote " + file.toAbsolutePath() + "\\R"), r.out());
    JsonObject json = read(file);
    assertEquals(Set.of("protocol", "threads", "origin", "games", "evaluatedAt"), json.keySet());

    JsonObject protocol = json.getAsJsonObject("protocol");
    assertEquals(6, protocol.get("episodes").getAsInt());
    assertEquals(30, protocol.get("noopMax").getAsInt());
    assertEquals(108_000, protocol.get("maxFrames").getAsInt());
    assertEquals(0.0, protocol.get("sticky").getAsDouble());
    assertEquals("sampled", protocol.get("policy").getAsString());
    assertEquals(1, protocol.get("seed").getAsLong());
    assertEquals(4, protocol.get("frameSkip").getAsInt());
    assertFalse(protocol.get("lifeLossEndsEpisode").getAsBoolean());
    assertTrue(protocol.get("aleVersion").getAsString().matches("\\d+\\.\\d+\\.\\d+"), protocol.toString());
    assertEquals("embedded", protocol.get("envService").getAsString());
    assertEquals(2, json.get("threads").getAsInt());

    JsonObject origin = json.getAsJsonObject("origin");
    assertEquals(run.resolve(Checkpoint.FILE).toAbsolutePath().toString(), origin.get("file").getAsString());
    assertEquals(checkpoint.meta().frames(), origin.get("framesTrained").getAsLong());
    assertEquals(checkpoint.meta().savedAt(), origin.get("savedAt").getAsString());
    assertTrue(origin.get("sha256").isJsonNull());

    JsonObject game = json.getAsJsonObject("games").getAsJsonObject(CatchEnv.NAME);
    List<Double> returns = numbers(game.get("returns"));
    assertEquals(6, returns.size());
    assertTrue(returns.stream().allMatch(x -> x == 1 || x == -1), returns.toString());
    // Catch: a ball falls 11 rows, one a step; frame skip and no-ops do not apply to it.
    assertEquals(List.of(11.0, 11.0, 11.0, 11.0, 11.0, 11.0), numbers(game.get("steps")));
    assertEquals(List.of(11.0, 11.0, 11.0, 11.0, 11.0, 11.0), numbers(game.get("frames")));
    assertEquals(6, game.getAsJsonArray("truncated").size());
    JsonObject summary = game.getAsJsonObject("summary");
    double mean = returns.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    assertEquals(mean, summary.get("mean").getAsDouble(), 1e-12);
    assertTrue(summary.get("ciLow").getAsDouble() < mean && mean < summary.get("ciHigh").getAsDouble()
        || returns.stream().distinct().count() == 1, summary.toString());
    assertEquals(6, summary.get("episodes").getAsInt());
    assertEquals(0, summary.get("truncated").getAsInt());
  }

  @Test
  void episodesCutByTheFrameCapCountWithTheirScoreAndAreFlagged() throws Exception {
    Path run = dir.resolve("run");
    CatchRuns.uniform(run, false);
    Path json = dir.resolve("capped.json");

    CommandRun r = evaluate("--run", run.toString(), "--episodes", "3", "--max-frames", "5",
        "--json", json.toString());

    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("catch: mean 0.00, 95% CI [0.00, 0.00], min 0, max 0, 3 episodes,"
        + " 3 truncated"), r.out());
    assertFalse(Files.exists(run.resolve(Evaluation.FILE)), "--json replaces the default file");
    JsonObject game = read(json).getAsJsonObject("games").getAsJsonObject(CatchEnv.NAME);
    assertEquals(List.of(5.0, 5.0, 5.0), numbers(game.get("frames")));
    JsonArray truncated = game.getAsJsonArray("truncated");
    assertTrue(StreamSupport.stream(truncated.spliterator(), false).allMatch(JsonElement::getAsBoolean));
    assertEquals(3, game.getAsJsonObject("summary").get("truncated").getAsInt());
  }

  @Test
  void anLstmModelEvaluatesAndIsIdentifiedByItsHash() throws Exception {
    Path model = TestModels.write(dir.resolve("export"), CatchEnv.NAME,
        TestModels.model(CatchEnv.NAME, true, Architecture.A3C, 1, CatchEnv.ACTIONS));
    Path json = dir.resolve("lstm.json");

    CommandRun r = evaluate("--model", model.toString(), "--episodes", "4", "--policy", "greedy",
        "--json", json.toString());

    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("catch: mean "), r.out());
    JsonObject written = read(json);
    assertEquals("greedy", written.getAsJsonObject("protocol").get("policy").getAsString());
    JsonObject origin = written.getAsJsonObject("origin");
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(Files.readAllBytes(model))), origin.get("sha256").getAsString());
    assertEquals(1235, origin.get("framesTrained").getAsLong(), "TestModels' frames for seed 1");
    assertEquals(List.of(11.0, 11.0, 11.0, 11.0),
        numbers(written.getAsJsonObject("games").getAsJsonObject(CatchEnv.NAME).get("steps")));

    CommandRun noFile = evaluate("--model", model.toString(), "--episodes", "1");
    assertEquals(0, noFile.exit(), noFile.err());
    assertTrue(noFile.out().contains("no CI from one episode"), noFile.out());
    assertFalse(noFile.out().contains("wrote"), "a model's evaluation is written only with --json");
  }

  @Test
  void aBadModelAMissingOrCorruptRunAndAnUnknownGameAreOneLineAndExit2() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.onnx"), "not a model");
    evaluate("--model", junk.toString()).assertUsageError(
        "--model " + junk + ": not a complete ONNX model (truncated or corrupt)");
    evaluate("--model", dir.resolve("none.onnx").toString())
        .assertUsageError("--model " + dir.resolve("none.onnx") + ": no such file");

    Path missing = dir.resolve("runs/missing");
    evaluate("--run", missing.toString()).assertUsageError("--run " + missing + ": no such directory");
    Path empty = Files.createDirectories(dir.resolve("runs/empty"));
    evaluate("--run", empty.toString()).assertUsageError("--run " + empty + " holds no checkpoint");
    Path torn = dir.resolve("runs/torn");
    CatchRuns.uniform(torn, false);
    Path checkpoint = torn.resolve(Checkpoint.FILE);
    byte[] whole = Files.readAllBytes(checkpoint);
    Files.write(checkpoint, java.util.Arrays.copyOf(whole, whole.length / 2));
    evaluate("--run", torn.toString()).assertUsageError("is truncated");

    Path run = dir.resolve("runs/catch");
    CatchRuns.uniform(run, false);
    evaluate("--run", run.toString(), "--game", "pong").assertUsageError(
        "unknown game 'pong' for --game: run " + run + " trained catch");
    Path tetris = TestModels.write(dir.resolve("tetris"), "tetris", false, Architecture.A3C, 1);
    CommandRun noRom = evaluate("--model", tetris.toString());
    noRom.assertUsageError("unknown game 'tetris': no ROM tetris.bin");
    assertTrue(noRom.err().contains("ROMs here are read from " + dir.toAbsolutePath()), noRom.err());
    Path fourActions = TestModels.write(dir.resolve("four"), CatchEnv.NAME, false, Architecture.A3C, 1);
    evaluate("--model", fourActions.toString()).assertUsageError("catch.onnx has 4 actions but catch has 3");
  }

  @Test
  void badOptionValuesAreUsageErrorsBeforeAnythingIsPlayed() throws Exception {
    Path run = dir.resolve("run");
    CatchRuns.uniform(run, false);
    String r = run.toString();
    evaluate("--run", r, "--episodes", "0").assertUsageError("--episodes must be at least 1, got 0");
    evaluate("--run", r, "--noop-max", "5000").assertUsageError("--noop-max must be in 0..1000, got 5000");
    evaluate("--run", r, "--max-frames", "0").assertUsageError("--max-frames must be at least 1, got 0");
    evaluate("--run", r, "--sticky", "1.5").assertUsageError("--sticky must be in [0, 1], got 1.5");
    evaluate("--run", r, "--policy", "best").assertUsageError("--policy must be sampled or greedy, got 'best'");
    evaluate("--run", r, "--threads", "0").assertUsageError("--threads must be in 1..1024, got 0");
    evaluate("--run", r, "--env", "localhost").assertUsageError("--env must be host:port");
    evaluate("--run", r, "--token-file", r).assertUsageError("--tls-ca and --token-file are for --env");
    evaluate("--run", r, "--json", dir.toString()).assertUsageError("--json " + dir + ": a directory");
    evaluate("--run", r, "--model", r).assertUsageError("mutually exclusive");
    evaluate("--episodes", "3").assertUsageError("Missing required argument");
    assertFalse(Files.exists(run.resolve(Evaluation.FILE)));
  }

  /** Nothing listens on the port: one line, exit 1, at once (no retry loop, no hang). */
  @Test
  void anUnreachableEnvServiceIsOneLineAndExit1() throws Exception {
    Path run = dir.resolve("run");
    CatchRuns.uniform(run, false);
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CommandRun r = CommandRun.of(LearnerMain.commandLine(), "evaluate", "--run", run.toString(),
        "--env", "127.0.0.1:" + port);
    assertEquals(1, r.exit(), r.err());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains("env service at 127.0.0.1:" + port + ": UNAVAILABLE"), r.err());
  }
}
