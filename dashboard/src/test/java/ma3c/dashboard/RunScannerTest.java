package ma3c.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ma3c.runformat.RunFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunScannerTest {
  @TempDir
  Path dir;

  private static List<String> ids(List<Run> runs) {
    return runs.stream().map(Run::id).toList();
  }

  @Test
  void findsRunsInRootsAndRootsThatAreRuns() throws IOException {
    Path runs = Files.createDirectories(dir.resolve("runs"));
    FixtureRuns.create(runs, "b", Map.of("pong", 8), 1000, 1);
    FixtureRuns.create(runs, "a", Map.of("pong", 8), 1000, 1);
    Files.createDirectories(runs.resolve("not-a-run"));
    Files.writeString(runs.resolve("a.log"), "progress");
    Path single = FixtureRuns.create(dir, "single", Map.of("pong", 8), 1000, 1);
    RunScanner scanner = new RunScanner(List.of(runs, single));
    assertEquals(List.of("a", "b", "single"), ids(scanner.scan()));
  }

  @Test
  void runsThatAppearShowUpAndKeepTheirIdsWhileOthersGo() throws IOException {
    Path one = Files.createDirectories(dir.resolve("one"));
    Path two = Files.createDirectories(dir.resolve("two"));
    FixtureRuns.create(one, "pong", Map.of("pong", 8), 1000, 1);
    RunScanner scanner = new RunScanner(List.of(one, two));
    Run first = scanner.scan().get(0);
    // The same name in another root: a distinct id.
    Files.createDirectories(two.resolve("pong"));
    Files.writeString(two.resolve("pong").resolve(RunFiles.EPISODES), "");
    List<Run> both = scanner.scan();
    assertEquals(List.of("pong", "pong~2"), ids(both));
    assertSame(first, both.get(0), "what was read of a run is kept between scans");
    assertEquals(two.resolve("pong"), scanner.find("pong~2").dir());
    Files.delete(one.resolve("pong").resolve(RunFiles.CONFIG));
    assertEquals(List.of("pong~2"), ids(scanner.scan()));
    assertNull(scanner.find("pong"));
  }

  @Test
  void anExperimentArmIsItsRunsWithoutTheSeed() {
    assertEquals("a3c-pong-lstm-t8-f12M", Run.group("a3c-pong-lstm-t8-f12M-s1"));
    assertEquals(1L, Run.seed("a3c-pong-lstm-t8-f12M-s1"));
    assertEquals("ma3c-2-pong+breakout-ff-t8-f12M-o1a2b3c4", Run.group("ma3c-2-pong+breakout-ff-t8-f12M-s12-o1a2b3c4"));
    assertEquals(12L, Run.seed("ma3c-2-pong+breakout-ff-t8-f12M-s12-o1a2b3c4"));
    assertEquals("a3c-space_invaders-ff", Run.group("a3c-space_invaders-ff"));
    assertNull(Run.seed("pong-a3c-ff-16threads"));
  }
}
