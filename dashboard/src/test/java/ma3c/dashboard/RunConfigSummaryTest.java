package ma3c.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunConfigSummaryTest {
  @TempDir
  Path dir;

  @Test
  void readsTheGroupedLayout() throws IOException {
    Path run = FixtureRuns.create(dir, "r", Map.of("pong", 6), 2_000_000, 3);
    RunConfigSummary c = RunConfigSummary.read(run.resolve(Run.CONFIG));
    assertNull(c.error());
    assertEquals("a3c", c.architecture());
    assertFalse(c.lstm());
    assertEquals(Map.of("pong", 6), c.threadsPerGame());
    assertEquals(2_000_000, c.frameBudget());
    assertEquals(2_000_000, c.framesPerGame());
    assertEquals(3e-4, c.learningRate());
    assertEquals(5, c.tMax());
    assertEquals(3L, c.seed());
    assertEquals("adaptive", c.allocation());
  }

  @Test
  void readsTheFlatLayoutOfOlderRuns() throws IOException {
    Path file = dir.resolve(Run.CONFIG);
    Files.writeString(file, """
        {
          "architecture": "ma3c-1",
          "lstm": true,
          "threadsPerGame": {"pong": 8, "breakout": 8},
          "a3c": {"gamma": 0.99, "tMax": 20, "learningRate": 3.0E-4, "frameBudget": 24000000, "framesPerGame": 12000000},
          "envEndpoints": [],
          "seed": 1
        }""");
    RunConfigSummary c = RunConfigSummary.read(file);
    assertEquals("ma3c-1", c.architecture());
    assertTrue(c.lstm());
    assertEquals(24_000_000, c.frameBudget());
    assertEquals(12_000_000, c.framesPerGame());
    assertEquals(20, c.tMax());
    assertEquals("equal", c.allocation());
    assertFalse(c.distillation());
  }

  @Test
  void aMissingOrBrokenConfigIsReportedNotThrown() throws IOException {
    assertEquals("no config.json yet", RunConfigSummary.read(dir.resolve(Run.CONFIG)).error());
    Files.writeString(dir.resolve(Run.CONFIG), "{\"net\": {\"architec");
    RunConfigSummary torn = RunConfigSummary.read(dir.resolve(Run.CONFIG));
    assertTrue(torn.error().startsWith("config.json is not a run configuration"), torn.error());
    assertEquals(0, torn.frameBudget());
  }
}
