package ma3c.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import ma3c.cli.CommandRun;
import ma3c.cli.ProjectVersion;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.Provenance;
import ma3c.learner.run.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** `ma3c train` as users and containers run it, good input and bad. */
class TrainCommandTest {
  /** Exit code and stderr of one command line. */
  private static CommandRun run(String... args) {
    return CommandRun.of(LearnerMain.commandLine(), args);
  }

  private static String[] catchRun(Path run, long frames, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--games", "catch", "--arch", "a3c",
        "--threads", "1", "--frames", String.valueOf(frames), "--run-dir", run.toString(),
        "--resume-if-exists", "--progress-every", "60"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private static long totalEpisodes(Checkpoint c) {
    return c.meta().episodes().values().stream().mapToLong(Long::longValue).sum();
  }

  @Test
  void resumeIfExistsStartsThenResumes(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    assertEquals(0, run(catchRun(run, 4_000)).exit());
    Checkpoint first = Checkpoint.load(run.resolve(Checkpoint.FILE));
    assertTrue(first.meta().frames() >= 4_000);
    assertTrue(Files.isRegularFile(run.resolve("export/catch.onnx")), "exported beside the checkpoint");
    Provenance started = Provenance.read(run.resolve(Provenance.RUN_FILE));
    assertEquals("run", started.run());
    assertEquals(List.of(ProjectVersion.build()), started.builds(), "the run names the build that trained it");
    assertNull(started.trainedBy(), "`train` is no experiment");

    assertEquals(0, run(catchRun(run, 8_000)).exit(), "a second start resumes instead of refusing the directory");
    Checkpoint second = Checkpoint.load(run.resolve(Checkpoint.FILE));
    assertTrue(second.meta().frames() >= 8_000);
    assertTrue(second.meta().updates() > first.meta().updates(), "it went on from the checkpoint");
    assertEquals(started, Provenance.read(run.resolve(Provenance.RUN_FILE)), "one training, one build");
  }

  /** The embedded env service's answer once, without an endpoint the user never gave. */
  @Test
  void anUnknownGameIsOneCleanLine(@TempDir Path dir) {
    CommandRun r = run("train", "--games", "nosuch", "--arch", "a3c", "--threads", "1",
        "--rom-dir", dir.toString(), "--run-dir", dir.resolve("run").toString());
    assertEquals(1, r.exit(), r.err());
    assertEquals(1, r.errLines().size(), r.err());
    String line = r.errLines().get(0);
    assertTrue(line.startsWith("ma3c train: unknown game 'nosuch': no ROM nosuch.bin"), line);
    assertEquals(line.indexOf("unknown game"), line.lastIndexOf("unknown game"), "said once: " + line);
    assertFalse(line.contains("localhost") || line.contains("NOT_FOUND"), line);
  }

  /** A metrics port in use, or an address not this host's: the option and the address named. */
  @Test
  void aMetricsPortThatCannotBeServedIsNamed(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      CommandRun busy = run(catchRun(dir.resolve("busy"), 100, "--metrics-port", String.valueOf(port)));
      assertEquals(1, busy.exit(), busy.err());
      assertTrue(busy.err().startsWith("ma3c train: --metrics-port " + port + ": cannot listen on 127.0.0.1:"
          + port + ": "), busy.err());
    }
    // TEST-NET-1 (RFC 5737): no interface of this host has it.
    CommandRun foreign = run(catchRun(dir.resolve("foreign"), 100, "--metrics-port", "0",
        "--metrics-bind", "192.0.2.1"));
    assertEquals(1, foreign.exit(), foreign.err());
    assertTrue(foreign.err().startsWith("ma3c train: --metrics-bind 192.0.2.1 --metrics-port 0: cannot listen"
        + " on 192.0.2.1:0: "), foreign.err());
  }

  @Test
  void everyCommandPrintsTheProjectVersion() {
    CommandRun.assertEveryCommandPrintsTheVersion(LearnerMain::commandLine);
  }

  @Test
  void resumeIfExistsNeedsARunDir() {
    assertEquals(2, run("train", "--resume-if-exists").exit());
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of(List.of("--lr", "NaN"), "--lr"),
        Arguments.of(List.of("--lr", "Infinity"), "--lr"),
        Arguments.of(List.of("--lr", "-1"), "--lr"),
        Arguments.of(List.of("--frames", "0"), "--frames"),
        Arguments.of(List.of("--frames", "-10"), "--frames"),
        Arguments.of(List.of("--gamma", "2"), "--gamma"),
        Arguments.of(List.of("--t-max", "0"), "--t-max"),
        Arguments.of(List.of("--t-max", "-5"), "--t-max"),
        Arguments.of(List.of("--clip-norm", "-1"), "--clip-norm"),
        Arguments.of(List.of("--checkpoint-every", "0"), "--checkpoint-every"),
        Arguments.of(List.of("--threads", "0"), "--threads"),
        Arguments.of(List.of("--sticky", "1.5"), "--sticky"),
        Arguments.of(List.of("--games", "catch:x"), "catch:x"),
        Arguments.of(List.of("--games", "catch,catch"), "twice"),
        Arguments.of(List.of("--arch", "resnet"), "resnet"),
        Arguments.of(List.of("--env", "127.0.0.1:99999"), "99999"),
        Arguments.of(List.of("--env", "localhost"), "host:port"),
        Arguments.of(List.of("--env-connections", "0"), "--env-connections"),
        Arguments.of(List.of("--env-connections", "1025"), "--env-connections must be 1..1024 or per-thread, got 1025"),
        Arguments.of(List.of("--env-connections", "each"), "--env-connections must be 1..1024 or per-thread, got each"),
        Arguments.of(List.of("--lr", "fast"), "--lr"),
        Arguments.of(List.of("--threads", "1025"), "--threads"),
        Arguments.of(List.of("--games", "catch:2000"), "at most 1024"),
        Arguments.of(List.of("--games", "catch:1", "--threads", "3"), "weights are the threads"),
        Arguments.of(List.of("--frames", "1000000000001"), "--frames"),
        Arguments.of(List.of("--frames-per-game", "9223372036854775807"), "--frames-per-game"));
  }

  /** One line saying what is wrong, exit 2, and nothing written. */
  @ParameterizedTest
  @MethodSource("badValues")
  void badValuesAreRefusedBeforeAnythingIsWritten(List<String> bad, String named, @TempDir Path dir) {
    Path run = dir.resolve("run");
    List<String> args = new ArrayList<>(List.of("train", "--run-dir", run.toString()));
    if (!bad.contains("--games")) {
      args.addAll(List.of("--games", "catch"));
    }
    if (!bad.contains("--games") && !bad.contains("--threads")) {
      args.addAll(List.of("--threads", "1"));
    }
    args.addAll(bad);
    CommandRun r = run(args.toArray(String[]::new));
    assertEquals(2, r.exit(), r.err());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.errLines().get(0).contains(named), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
    assertFalse(Files.exists(run), "nothing written");
  }

  @Test
  void aMissingRomDirectoryIsNamed(@TempDir Path dir) {
    CommandRun r = run("train", "--games", "pong", "--arch", "a3c", "--rom-dir",
        dir.resolve("nowhere").toString(), "--run-dir", dir.resolve("run").toString());
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.errLines().get(0).contains("no ROM directory"), r.err());
  }

  @Test
  void resumeRefusesOptionsThatWouldChangeTheRun(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    assertEquals(0, run(catchRun(run, 3_000)).exit());
    String config = Files.readString(run.resolve(RunDirectory.CONFIG));
    long frames = Checkpoint.load(run.resolve(Checkpoint.FILE)).meta().frames();

    CommandRun changed = run("train", "--resume", run.toString(), "--lr", "0.01", "--lstm");
    assertEquals(2, changed.exit(), changed.err());
    assertTrue(changed.err().contains("--lr 0.01") && changed.err().contains("--lstm"), changed.err());

    CommandRun shorter = run("train", "--resume", run.toString(), "--frames", "100");
    assertEquals(2, shorter.exit(), shorter.err());
    assertTrue(shorter.err().contains("not above the " + frames), shorter.err());

    assertEquals(config, Files.readString(run.resolve(RunDirectory.CONFIG)), "config.json untouched");

    CommandRun longer = run("train", "--resume", run.toString(), "--frames", "6000",
        "--checkpoint-every", "120", "--games", "catch");
    assertEquals(0, longer.exit(), longer.err());
    String now = Files.readString(run.resolve(RunDirectory.CONFIG));
    assertTrue(now.contains("\"frames\": 6000") && now.contains("\"checkpointSeconds\": 120"), now);
  }

  @Test
  void aResumeKeepsTheKindOfBudgetAndTheRunDirectory(@TempDir Path dir) throws Exception {
    Path total = dir.resolve("total");
    assertEquals(0, run(catchRun(total, 2_000)).exit());
    CommandRun perGame = run("train", "--resume", total.toString(), "--frames-per-game", "100");
    assertEquals(2, perGame.exit(), perGame.err());
    assertTrue(perGame.err().contains("resume it with --frames"), perGame.err());
    CommandRun elsewhere = run("train", "--resume", total.toString(), "--run-dir",
        dir.resolve("other").toString());
    assertEquals(2, elsewhere.exit(), elsewhere.err());
    assertTrue(elsewhere.err().contains("--run-dir with --resume"), elsewhere.err());

    Path split = dir.resolve("split");
    assertEquals(0, run("train", "--games", "catch", "--arch", "a3c", "--threads", "1",
        "--frames-per-game", "1000", "--run-dir", split.toString(), "--progress-every", "60").exit());
    CommandRun asTotal = run("train", "--resume", split.toString(), "--frames", "5000");
    assertEquals(2, asTotal.exit(), asTotal.err());
    assertTrue(asTotal.err().contains("--frames-per-game"), asTotal.err());
    assertEquals(1000, Checkpoint.load(split.resolve(Checkpoint.FILE)).meta().config().a3c()
        .budget().framesPerGame(), "the run's config is left as it was");
  }

  @Test
  void aNewRunThatFailsBeforeLoggingAnythingLeavesNoDirectory(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    CommandRun r = run("train", "--games", "no_such_game", "--arch", "a3c", "--threads", "1",
        "--run-dir", run.toString(), "--rom-dir", dir.toString());
    assertEquals(1, r.exit(), r.err());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains("no_such_game"), r.err());
    assertFalse(Files.exists(run), "nothing left behind for a dashboard to list");
  }

  /**
   * A run directory that cannot be made (a read-only file system, a folder of another user; here,
   * as root can be refused too, a path under a dangling link): the user reads why, not the failure
   * clean-up's "no such file" for the folder that was never made.
   */
  @Test
  void aRunDirectoryThatCannotBeMadeIsTheErrorShown(@TempDir Path dir) throws Exception {
    Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
    Path run = dangling.resolve("run");
    CommandRun r = run(catchRun(run, 1000));
    assertEquals(1, r.exit(), r.err());
    assertEquals(1, r.errLines().size(), r.err());
    assertFalse(r.err().contains("no such file"), r.err());
    assertTrue(r.err().contains(dangling.toString()), r.err());
  }

  @Test
  void aResumeWithoutACheckpointIsAUsageError(@TempDir Path dir) {
    CommandRun r = run("train", "--resume", dir.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("no checkpoint"), r.err());
  }

  @Test
  void aDirectoryInUseIsRefused(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    try (RunDirectory held = RunDirectory.lock(run)) {
      CommandRun r = run(catchRun(run, 1_000));
      assertEquals(1, r.exit(), r.err());
      assertTrue(r.err().contains("in use by another ma3c process"), r.err());
      assertEquals(1, r.errLines().size(), r.err());
    }
  }

  @Test
  void aCorruptCheckpointIsOneLine(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    assertEquals(0, run(catchRun(run, 2_000)).exit());
    Path file = run.resolve(Checkpoint.FILE);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));
    CommandRun r = run(catchRun(run, 4_000));
    assertEquals(1, r.exit(), r.err());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains("truncated"), r.err());
    CommandRun verbose = run(catchRun(run, 4_000, "--verbose"));
    assertFalse(r.err().contains("\tat "), r.err());
    assertTrue(verbose.err().contains("\tat ma3c.learner."), "--verbose shows the trace");
  }

  @Test
  void aResumeRefusesAnotherOrderOfTheGamesActions(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    assertEquals(0, run(catchRun(run, 2_000)).exit());
    Path file = run.resolve(Checkpoint.FILE);
    Checkpoint saved = Checkpoint.load(file);
    Checkpoint.Meta m = saved.meta();
    // As if the run had been trained where catch's actions came in another order.
    new Checkpoint(new Checkpoint.Meta(m.config(), m.frames(), m.updates(), m.elapsedSeconds(),
        m.episodes(), m.recentReturns(), java.util.Map.of("catch", List.of("NOOP", "RIGHT", "LEFT")),
        m.savedAt(), m.logBytes(), m.gameFrames(), m.allocation()), saved.theta(),
        saved.meanSquare()).save(file);
    CommandRun r = run(catchRun(run, 4_000));
    assertEquals(1, r.exit(), r.err());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains("[NOOP, LEFT, RIGHT]") && r.err().contains("[NOOP, RIGHT, LEFT]"),
        r.err());
    assertEquals(m.frames(), Checkpoint.load(file).meta().frames(), "the checkpoint is left as it was");
  }

  /**
   * A kill after a checkpoint leaves log lines the checkpoint does not know, and a torn last line:
   * the resumed run's logs hold exactly the checkpointed episodes and then its own, all valid JSON.
   */
  @Test
  void aResumeAfterAKillRewindsTheLogs(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    assertEquals(0, run(catchRun(run, 3_000)).exit());
    Path episodes = run.resolve(RunDirectory.EPISODES);
    Path metrics = run.resolve(RunDirectory.METRICS);
    Files.writeString(episodes, "{\"time\":9,\"game\":\"catch\",\"thread\":0,\"frames\":999999,"
        + "\"episodeReturn\":1.0,\"length\":9}\n{\"time\":9,\"ga", java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(metrics, "{\"frames\":999999}\n{\"fr", java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(run.resolve(".checkpoint.bin.dead.tmp"), "half a checkpoint");

    assertEquals(0, run(catchRun(run, 6_000)).exit());

    Checkpoint last = Checkpoint.load(run.resolve(Checkpoint.FILE));
    List<String> lines = Files.readAllLines(episodes);
    assertEquals(totalEpisodes(last), lines.size(), "one line per episode the checkpoint counts");
    long previous = 0;
    for (String line : lines) {
      long f = JsonParser.parseString(line).getAsJsonObject().get("frames").getAsLong();
      assertTrue(f >= previous && f <= last.meta().frames(), "frames in order: " + line);
      previous = f;
    }
    for (String line : Files.readAllLines(metrics)) {
      long f = JsonParser.parseString(line).getAsJsonObject().get("frames").getAsLong();
      assertTrue(f <= last.meta().frames(), line);
    }
    assertFalse(Files.exists(run.resolve(".checkpoint.bin.dead.tmp")));
  }

  /** Killed before its first checkpoint: the restart is a clean new run, not appended to the old. */
  @Test
  void aCrashBeforeTheFirstCheckpointRestartsCleanly(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    Files.createDirectories(run);
    Files.writeString(run.resolve(RunDirectory.EPISODES), "{\"time\":1,\"game\":\"catch\",\"thread\":0,"
        + "\"frames\":500000,\"episodeReturn\":1.0,\"length\":9}\n");
    Files.writeString(run.resolve(RunDirectory.CONFIG), "{}");
    assertEquals(0, run(catchRun(run, 2_000)).exit());
    Checkpoint last = Checkpoint.load(run.resolve(Checkpoint.FILE));
    assertEquals(totalEpisodes(last), Files.readAllLines(run.resolve(RunDirectory.EPISODES)).size());
    assertFalse(Files.readString(run.resolve(RunDirectory.EPISODES)).contains("500000"));
  }
}
