package ma3c.learner;

import ma3c.learner.run.RunConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ma3c.cli.CommandRun;
import ma3c.env.TestRoms;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `--allocation adaptive` end to end: threads move, every game meets its budget, the run ends. */
class AdaptiveAllocationTest {
  @Test
  void aFinishedGamesThreadsMoveToTheOtherGame(@TempDir Path dir) throws Exception {
    Path roms = TestRoms.dir("pong");
    Path run = dir.resolve("run");
    // Catch meets its budget long before Pong: its threads then go to Pong (up to 3 of 2). The
    // budget keeps Pong running for several of the 1-second metrics lines after that: at 12k
    // frames a game the window was about one line, and a busy machine could miss it.
    CommandRun r = CommandRun.of(LearnerMain.commandLine(), "train", "--arch", "ma3c-2",
        "--games", "catch:2,pong:2", "--frames-per-game", "36000", "--allocation", "adaptive",
        "--allocation-every", "1000", "--rom-dir", roms.toString(), "--run-dir", run.toString(),
        "--progress-every", "1");
    assertEquals(0, r.exit(), r.err());

    Checkpoint c = Checkpoint.load(run.resolve(Checkpoint.FILE));
    assertEquals(RunConfig.AllocationMode.ADAPTIVE, c.meta().config().allocation().mode());
    assertTrue(c.meta().gameFrames().get("catch") >= 36_000);
    assertTrue(c.meta().gameFrames().get("pong") >= 36_000);
    List<String> metrics = Files.readAllLines(run.resolve(RunDirectory.METRICS));
    int mostPong = 0;
    for (String line : metrics) {
      JsonObject games = JsonParser.parseString(line).getAsJsonObject().getAsJsonObject("games");
      if (games.has("pong")) {
        mostPong = Math.max(mostPong, games.getAsJsonObject("pong").get("threads").getAsInt());
      }
    }
    assertEquals(3, mostPong, "Pong ran catch's threads too:\n" + String.join("\n", metrics));
    assertEquals(java.util.Map.of("catch", 0, "pong", 3), c.meta().allocation().active(),
        "the checkpoint keeps the allocation");

    // A resume to a larger budget goes on from the kept allocation (not from equal groups), and
    // catch, no longer finished, takes threads back and meets its new budget.
    r = CommandRun.of(LearnerMain.commandLine(), "train", "--resume", run.toString(),
        "--frames-per-game", "48000", "--rom-dir", roms.toString(), "--progress-every", "1");
    assertEquals(0, r.exit(), r.err());
    List<String> after = Files.readAllLines(run.resolve(RunDirectory.METRICS))
        .subList(metrics.size(), Files.readAllLines(run.resolve(RunDirectory.METRICS)).size());
    assertTrue(!after.isEmpty() && threads(after.get(0), "pong") == 3 && threads(after.get(0), "catch") == 1,
        "the first line after the resume: the kept allocation, catch raised to its least from the"
            + " idle thread (not 2 and 2):\n" + after);
    assertTrue(Checkpoint.load(run.resolve(Checkpoint.FILE)).meta().gameFrames().get("catch") >= 48_000);
  }

  private static int threads(String metricsLine, String game) {
    return JsonParser.parseString(metricsLine).getAsJsonObject().getAsJsonObject("games")
        .getAsJsonObject(game).get("threads").getAsInt();
  }
}
