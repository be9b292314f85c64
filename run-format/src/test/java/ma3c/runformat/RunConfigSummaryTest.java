package ma3c.runformat;

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
    // as the learner writes it now (RunConfig through RunJson.PRETTY)
    Path file = dir.resolve(RunFiles.CONFIG);
    Files.writeString(file, """
        {
          "net": {"architecture": "a3c", "lstm": false},
          "threadsPerGame": {"pong": 6},
          "a3c": {
            "rollout": {"tMax": 5, "gamma": 0.99, "rewardClip": 1.0},
            "loss": {"entropyBeta": 0.01, "valueCoef": 0.5, "gradClipNorm": 40.0},
            "rmsProp": {"learningRate": 3.0E-4, "alpha": 0.99, "epsilon": 1.0E-5, "init": 1.0},
            "budget": {"frames": 2000000, "framesPerGame": 2000000}
          },
          "seed": 3,
          "reporting": {"checkpointSeconds": 300, "progressSeconds": 10},
          "allocation": {"mode": "adaptive", "everyFrames": 1000000}
        }
        """);
    RunConfigSummary c = RunConfigSummary.read(file);
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
    Path file = dir.resolve(RunFiles.CONFIG);
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
    assertEquals("no config.json yet", RunConfigSummary.read(dir.resolve(RunFiles.CONFIG)).error());
    Files.writeString(dir.resolve(RunFiles.CONFIG), "{\"net\": {\"architec");
    RunConfigSummary torn = RunConfigSummary.read(dir.resolve(RunFiles.CONFIG));
    assertTrue(torn.error().startsWith("config.json is not a run configuration"), torn.error());
    assertEquals(0, torn.frameBudget());
  }

  @Test
  void transferAndDistillationRunsSayWhereTheyCameFrom() {
    RunConfigSummary c = RunConfigSummary.of(com.google.gson.JsonParser.parseString("""
        {"net": {"architecture": "ma3c-2"}, "transfer": {"from": "runs/source"},
         "teachers": ["runs/a/export", "runs/b/export"]}""").getAsJsonObject());
    assertEquals("runs/source", c.transferFrom());
    assertTrue(c.distillation());
    assertNull(c.seed(), "not in this config");
    assertEquals(0, c.frameBudget());
  }
}
