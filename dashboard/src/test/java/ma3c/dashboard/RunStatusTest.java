package ma3c.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import ma3c.runformat.RunConfigSummary;
import ma3c.runformat.RunFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStatusTest {
  @TempDir
  Path dir;

  private static RunConfigSummary config(long budget, long perGame, String... games) {
    Map<String, Integer> threads = new LinkedHashMap<>();
    for (String g : games) {
      threads.put(g, 8);
    }
    return new RunConfigSummary("ma3c-2", false, threads, budget, perGame, 3e-4, 5, 1L, "equal", null, false, null);
  }

  private static MetricsHistory.Latest latest(long frames, long pong, long breakout) {
    return new MetricsHistory.Latest(10, frames, 4000, Map.of(
        "pong", new MetricsHistory.GameLatest(pong, 10, -20), "breakout", new MetricsHistory.GameLatest(breakout, 10, 2)));
  }

  @Test
  void aHeldLockMeansRunningWhateverTheFilesSay() {
    assertEquals(RunStatus.RUNNING, RunStatus.of(true, true, true));
    assertEquals(RunStatus.FINISHED, RunStatus.of(false, true, false));
    assertEquals(RunStatus.STOPPED, RunStatus.of(false, false, true));
    assertEquals(RunStatus.CRASHED, RunStatus.of(false, false, false));
    assertEquals("crashed", RunStatus.CRASHED.id());
  }

  @Test
  void theBudgetIsTheTotalOrEveryGamesOwn() {
    RunConfigSummary total = config(2_000_000, 0, "pong", "breakout");
    assertTrue(RunStatus.budgetReached(total, latest(2_000_004, 1_500_000, 500_004)));
    assertFalse(RunStatus.budgetReached(total, latest(1_999_000, 1_000_000, 999_000)));
    assertFalse(RunStatus.budgetReached(total, null));
    RunConfigSummary perGame = config(2_000_000, 1_000_000, "pong", "breakout");
    // The total is past the budget, but breakout is short of its own.
    assertFalse(RunStatus.budgetReached(perGame, latest(2_000_000, 1_100_000, 900_000)));
    assertTrue(RunStatus.budgetReached(perGame, latest(2_000_100, 1_000_050, 1_000_050)));
    assertEquals(100_000, RunStatus.framesLeft(perGame, latest(2_000_000, 1_100_000, 900_000)));
    assertEquals(500_000, RunStatus.framesLeft(total, latest(1_500_000, 1_100_000, 400_000)));
    assertFalse(RunStatus.budgetReached(RunConfigSummary.missing("none"), latest(5, 5, 5)));
  }

  @Test
  void aLockHeldByAnotherProcessIsSeenAndItsReleaseToo() throws Exception {
    Path lock = dir.resolve(RunFiles.LOCK);
    assertFalse(RunLock.held(dir), "no run.lock: never started");
    Path classes = Path.of(LockHolder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Process learner = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classes.toString(), LockHolder.class.getName(), lock.toString()).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(learner.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("locked", out.readLine());
      assertTrue(RunLock.held(dir));
      // The probe leaves the learner's lock as it was.
      assertTrue(RunLock.held(dir));
    } finally {
      learner.getOutputStream().close();
      assertTrue(learner.waitFor(30, TimeUnit.SECONDS));
    }
    assertTrue(Files.exists(lock));
    assertFalse(RunLock.held(dir), "the file stays after the learner exits, the lock does not");
  }

  @Test
  void aLockHeldInThisJvmIsSeen() throws Exception {
    try (FileChannel channel = FileChannel.open(dir.resolve(RunFiles.LOCK), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock held = channel.lock()) {
      assertTrue(held.isValid());
      assertTrue(RunLock.held(dir));
    }
    assertFalse(RunLock.held(dir));
  }

  @Test
  void aRunDirectoryGetsItsStatusFromItsFiles() throws Exception {
    Map<String, Integer> games = Map.of("pong", 8);
    Path run = FixtureRuns.create(dir, "a3c-pong-ff-t8-f1M-s1", games, 1_000_000, 1);
    Run r = new Run("a", run);
    FixtureRuns.append(run.resolve(RunFiles.METRICS), FixtureRuns.metrics(games, 600_000, 100_000, 1_000_000, 1));
    assertEquals("crashed", r.summary().status(), "below budget, no checkpoint");
    Files.writeString(run.resolve(RunFiles.CHECKPOINT), "x");
    Files.setLastModifiedTime(run.resolve(RunFiles.CHECKPOINT), java.nio.file.attribute.FileTime.fromMillis(
        Files.getLastModifiedTime(run.resolve(RunFiles.METRICS)).toMillis() + 1000));
    assertEquals("stopped", r.summary().status(), "checkpoint after the last line");
    FixtureRuns.append(run.resolve(RunFiles.METRICS), FixtureRuns.metrics(games, 1_000_000, 100_000, 1_000_000, 1)
        .subList(6, 10));
    Files.setLastModifiedTime(run.resolve(RunFiles.METRICS), java.nio.file.attribute.FileTime.fromMillis(
        Files.getLastModifiedTime(run.resolve(RunFiles.CHECKPOINT)).toMillis() + 1000));
    Run.Summary finished = r.summary();
    assertEquals("finished", finished.status());
    assertEquals(1_000_000, finished.frames());
    try (FileChannel channel = FileChannel.open(run.resolve(RunFiles.LOCK), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock held = channel.lock()) {
      Run.Summary running = r.summary();
      assertEquals("running", running.status());
      assertEquals(List.of("pong"), List.copyOf(running.games().keySet()));
    }
  }

  @Test
  void etaIsTheFramesLeftAtTheLatestSpeedWhileRunning() throws Exception {
    Map<String, Integer> games = Map.of("pong", 8);
    Path run = FixtureRuns.create(dir, "r", games, 1_000_000, 1);
    FixtureRuns.append(run.resolve(RunFiles.METRICS), List.of(
        "{\"time\":1,\"frames\":600000,\"fps\":4000.0,\"games\":{\"pong\":{\"frames\":600000}}}"));
    Run r = new Run("r", run);
    assertEquals(null, r.summary().etaSeconds(), "no ETA unless running");
    try (FileChannel channel = FileChannel.open(run.resolve(RunFiles.LOCK), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock held = channel.lock()) {
      assertEquals(100.0, r.summary().etaSeconds(), 1e-9);
    }
  }
}
