package ma3c.learner.run;

import ma3c.learner.algo.Freeze;
import ma3c.model.Architecture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ma3c.learner.algo.A3CConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  static Checkpoint sample() {
    LinkedHashMap<String, Integer> games = new LinkedHashMap<>();
    games.put("pong", 1);
    games.put("breakout", 2);
    RunConfig config = new RunConfig(new RunConfig.Net(Architecture.MA3C_2, true), games,
        A3CConfig.defaults(true, 1000), new RunConfig.Env(List.of(), "roms", 0.25f, 30, false), 7,
        new RunConfig.Reporting(60, 10), null, null, null);
    return new Checkpoint(new Checkpoint.Meta(config, 123, 45, 6.5, Map.of("pong", 3L),
        Map.of("pong", List.of(-21.0, -20.0, 1.5)), Map.of("pong", List.of("NOOP", "FIRE")), "now",
        Map.of("episodes.jsonl", 10L), Map.of("pong", 100L, "breakout", 23L), null),
        new float[] {1, 2, 3.5f}, new float[] {0.1f, 0.2f, 0.3f});
  }

  @Test
  void roundTripsEverythingResumeNeeds(@TempDir Path dir) throws IOException {
    Checkpoint saved = sample();
    saved.save(dir.resolve(Checkpoint.FILE));
    Checkpoint loaded = Checkpoint.load(dir.resolve(Checkpoint.FILE));
    assertEquals(saved.meta(), loaded.meta());
    assertArrayEquals(saved.theta(), loaded.theta());
    assertArrayEquals(saved.meanSquare(), loaded.meanSquare());
    assertEquals(List.of("pong", "breakout"), loaded.meta().config().games(), "game order is kept");
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temp file left behind");
    }
  }

  @Test
  void adaptiveAllocationStateRoundTrips(@TempDir Path dir) throws IOException {
    Checkpoint s = sample();
    Checkpoint.Allocation kept = new Checkpoint.Allocation(Map.of("pong", 3, "breakout", 1), 4_000,
        new ma3c.learner.allocation.AllocationPolicy.Memory(
            Map.of("pong", new ma3c.learner.allocation.AllocationPolicy.GameState(-20.5, 7, 2_000, false)),
            Map.of("pong", new double[] {-21, -20.5})));
    Checkpoint.Meta m = s.meta();
    new Checkpoint(new Checkpoint.Meta(m.config(), m.frames(), m.updates(), m.elapsedSeconds(),
        m.episodes(), m.recentReturns(), m.actionMeanings(), m.savedAt(), m.logBytes(),
        m.gameFrames(), kept), s.theta(), s.meanSquare()).save(dir.resolve(Checkpoint.FILE));
    Checkpoint.Allocation loaded = Checkpoint.load(dir.resolve(Checkpoint.FILE)).meta().allocation();
    assertEquals(kept.active(), loaded.active());
    assertEquals(kept.decidedAtFrames(), loaded.decidedAtFrames());
    assertEquals(kept.memory().previous(), loaded.memory().previous());
    assertArrayEquals(new double[] {-21, -20.5}, loaded.memory().seen().get("pong"));
  }

  @Test
  void aDamagedCheckpointIsRefusedNotLoaded(@TempDir Path dir) throws IOException {
    Path file = dir.resolve(Checkpoint.FILE);
    sample().save(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 20] ^= 0x55;
    Files.write(file, bytes);
    IOException e = assertThrows(IOException.class, () -> Checkpoint.load(file));
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    e = assertThrows(IOException.class, () -> Checkpoint.load(file), "a truncated file");
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  /** Bytes after the CRC (a copy that appended, a file overwritten by a shorter one): damaged. */
  @Test
  void aCheckpointWithBytesAfterItsEndIsRefused(@TempDir Path dir) throws IOException {
    Path file = dir.resolve(Checkpoint.FILE);
    sample().save(file);
    Files.write(file, new byte[] {0, 'j', 'u', 'n', 'k'}, java.nio.file.StandardOpenOption.APPEND);
    IOException e = assertThrows(IOException.class, () -> Checkpoint.load(file));
    assertEquals(file + " is corrupt (5 bytes after its end)", e.getMessage());
  }

  @Test
  void aCheckpointWithNonFiniteParametersOrNoConfigurationIsRefused(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve(Checkpoint.FILE);
    Checkpoint s = sample();
    new Checkpoint(s.meta(), new float[] {1, Float.NaN, 3}, s.meanSquare()).save(file);
    IOException e = assertThrows(IOException.class, () -> Checkpoint.load(file));
    assertTrue(e.getMessage().contains("not finite"), e.getMessage());
    Checkpoint.Meta m = s.meta();
    new Checkpoint(new Checkpoint.Meta(null, m.frames(), m.updates(), m.elapsedSeconds(),
        m.episodes(), m.recentReturns(), m.actionMeanings(), m.savedAt(), m.logBytes(),
        m.gameFrames(), null), s.theta(), s.meanSquare()).save(file);
    e = assertThrows(IOException.class, () -> Checkpoint.load(file));
    assertTrue(e.getMessage().contains("without the run's configuration"), e.getMessage());
  }

  /** Each message is one line a user can act on, not a bare EOFException or array error. */
  @Test
  void damagedHeadersAreNamed(@TempDir Path dir) throws IOException {
    Path file = dir.resolve(Checkpoint.FILE);
    Files.write(file, "not a checkpoint at all".getBytes());
    assertTrue(assertThrows(IOException.class, () -> Checkpoint.load(file)).getMessage()
        .contains("not an MA3C checkpoint"));
    Files.write(file, new byte[3]);
    assertTrue(assertThrows(IOException.class, () -> Checkpoint.load(file)).getMessage()
        .contains("truncated"));
    sample().save(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[12] = (byte) 0xff; // metadata length, negative
    Files.write(file, bytes);
    assertTrue(assertThrows(IOException.class, () -> Checkpoint.load(file)).getMessage()
        .contains("metadata length"));
  }

  @Test
  void checkpointsWithoutLogLengthsStillLoad(@TempDir Path dir) throws IOException {
    Checkpoint s = sample();
    Checkpoint old = new Checkpoint(new Checkpoint.Meta(s.meta().config(), 1, 1, 1, Map.of(),
        Map.of(), Map.of(), "then", null, null, null), s.theta(), s.meanSquare());
    old.save(dir.resolve(Checkpoint.FILE));
    assertEquals(null, Checkpoint.load(dir.resolve(Checkpoint.FILE)).meta().logBytes());
  }

  /** A checkpoint of the flat version-1 configuration (made by the build before 0.1's records). */
  @Test
  void versionOneCheckpointsResumeWithTheirConfigurationIntact() throws Exception {
    Path file = Path.of(CheckpointTest.class.getResource("/checkpoints/version1.bin").toURI());
    Checkpoint old = Checkpoint.load(file);
    RunConfig c = old.meta().config();
    assertEquals(new RunConfig.Net(Architecture.MA3C_2, true), c.net());
    assertEquals(List.of("pong", "breakout"), c.games());
    assertEquals(2, c.threadsPerGame().get("breakout"));
    assertEquals(A3CConfig.defaults(true, 1000), c.a3c());
    assertEquals(new RunConfig.Env(List.of("envhost:50051"), "roms", 0.25f, 30, true), c.env());
    assertEquals(7, c.seed());
    assertEquals(new RunConfig.Reporting(60, 10), c.reporting());
    assertEquals(123, old.meta().frames());
    assertArrayEquals(new float[] {1, 2, 3.5f}, old.theta());
  }

  /** The committed fixtures, one per checkpoint format version (tests run in the module's folder). */
  private static final Path FIXTURES = Path.of("src/test/resources/checkpoints");

  /**
   * A checkpoint of the current format with every field set, each to a value no default has: what
   * the committed fixture of this format holds. The arrays are short (loading does not check them
   * against the layout).
   */
  static Checkpoint everyFieldSet() {
    LinkedHashMap<String, Integer> games = new LinkedHashMap<>();
    games.put("pong", 2);
    games.put("breakout", 3);
    A3CConfig a3c = new A3CConfig(new A3CConfig.Rollout(20, 0.98, 1.5),
        new A3CConfig.Loss(0.02, 0.25, 30), new A3CConfig.RmsProp(7e-4, 0.95, 1e-4, 0.5),
        new A3CConfig.Budget(40_000_000, 12_000_000));
    RunConfig config = new RunConfig(new RunConfig.Net(Architecture.MA3C_1, true), games, a3c,
        new RunConfig.Env(List.of("envhost:50051", "envhost2:50051"), "/data/roms", 0.25f, 25, true,
            new ma3c.cli.security.ClientSecurity("/certs/ca.pem", "/secrets/token")),
        42, new RunConfig.Reporting(300, 15), new RunConfig.Transfer("/runs/source/checkpoint.bin",
            Freeze.CONV), new RunConfig.Allocation(RunConfig.AllocationMode.ADAPTIVE, 2_000_000),
        List.of("/teachers/pong.onnx", "/teachers"));
    Checkpoint.Allocation allocation = new Checkpoint.Allocation(Map.of("pong", 1, "breakout", 4),
        11_000_000, new ma3c.learner.allocation.AllocationPolicy.Memory(
            Map.of("pong", new ma3c.learner.allocation.AllocationPolicy.GameState(-19.75, 120, 6_000_000,
                false)),
            Map.of("breakout", new double[] {3, 12.5})));
    return new Checkpoint(new Checkpoint.Meta(config, 12_345_678, 98_765, 3600.25,
        Map.of("pong", 120L, "breakout", 340L),
        Map.of("pong", List.of(-21.0, -19.5), "breakout", List.of(3.0, 12.0)),
        Map.of("pong", List.of("NOOP", "FIRE", "RIGHT", "LEFT", "RIGHTFIRE", "LEFTFIRE"),
            "breakout", List.of("NOOP", "FIRE", "RIGHT", "LEFT")),
        "2026-12-06T12:00:00Z", Map.of(RunDirectory.EPISODES, 40_960L, RunDirectory.METRICS, 8_192L),
        Map.of("pong", 6_000_000L, "breakout", 6_345_678L), allocation),
        new float[] {0.5f, -1.25f, 3e-3f, 7}, new float[] {1, 0.25f, 1e-6f, 0});
  }

  /**
   * The committed checkpoint of the current format loads with every field as it was written.
   * Renaming or dropping a field of what a checkpoint holds (Meta, RunConfig, A3CConfig, ...) or
   * changing the binary layout without a new version would strand the checkpoints of the runs on
   * disk, or resume them with a setting silently lost: that fails here. A format version without
   * a fixture gets one written by this test, which then fails until it is committed (see
   * src/test/resources/checkpoints/README.md).
   */
  @Test
  void theCommittedCheckpointOfTheCurrentFormatLoadsEveryField(@TempDir Path dir)
      throws IOException {
    Path written = dir.resolve(Checkpoint.FILE);
    everyFieldSet().save(written);
    int version = java.nio.ByteBuffer.wrap(Files.readAllBytes(written), 8, 4).getInt();
    Path fixture = FIXTURES.resolve("version" + version + ".bin");
    if (!Files.exists(fixture)) {
      Files.copy(written, fixture);
      org.junit.jupiter.api.Assertions.fail("checkpoint format " + version + " had no fixture: wrote "
          + fixture.toAbsolutePath() + "; commit it (see the README.md beside it)");
    }
    Checkpoint loaded = Checkpoint.load(fixture);
    Checkpoint expected = everyFieldSet();
    // As JSON trees: records holding arrays do not compare by content, and maps in any order.
    assertEquals(com.google.gson.JsonParser.parseString(Json.LINE.toJson(expected.meta())),
        com.google.gson.JsonParser.parseString(Json.LINE.toJson(loaded.meta())));
    assertEquals(expected.meta().config(), loaded.meta().config(), "the run's configuration");
    assertArrayEquals(expected.theta(), loaded.theta());
    assertArrayEquals(expected.meanSquare(), loaded.meanSquare());
  }

  @Test
  void aCheckpointFromANewerBuildIsRefusedByName(@TempDir Path dir) throws IOException {
    Path file = dir.resolve(Checkpoint.FILE);
    sample().save(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[11] = 99; // the version's low byte
    Files.write(file, bytes);
    assertTrue(assertThrows(IOException.class, () -> Checkpoint.load(file)).getMessage()
        .contains("checkpoint version 99"));
  }
}
