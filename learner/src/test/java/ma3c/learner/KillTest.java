package ma3c.learner;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at arbitrary instants of a real learner process (checkpointing every second, so kills
 * land mid-save too): each restart with the same command line resumes, no checkpoint is ever
 * unreadable, no temp file survives a restart, and the logs hold exactly what the checkpoint
 * counts.
 */
class KillTest {
  /** A learner process and the file its output goes to. */
  private record Learner(Process process, Path log) {
    boolean training() throws Exception {
      return Files.exists(log) && Files.readString(log).contains("budget");
    }
  }

  private static Learner start(Path run, long frames) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-Xmx1g",
        "-cp", System.getProperty("java.class.path"), LearnerMain.class.getName(),
        "train", "--games", "catch", "--arch", "a3c", "--threads", "2",
        "--frames", String.valueOf(frames), "--run-dir", run.toString(), "--resume-if-exists",
        "--checkpoint-every", "1", "--progress-every", "1"));
    Path log = run.resolveSibling("log-" + System.nanoTime() + ".txt");
    return new Learner(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
        .start(), log);
  }

  @Test
  void killedAtAnyInstantTheRunResumesWithConsistentFiles(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    SplittableRandom random = new SplittableRandom(7);
    for (int kill = 0; kill < 4; kill++) {
      Learner learner = start(run, 50_000_000);
      // Killed at a random instant once training runs (the first time, once it has a checkpoint):
      // how long a JVM takes to get there depends on the machine's load, not on the test.
      await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
          .until(kill == 0 ? () -> Files.exists(run.resolve(Checkpoint.FILE)) : learner::training);
      Thread.sleep(random.nextInt(2_500));
      learner.process().destroyForcibly();
      assertTrue(learner.process().waitFor(30, TimeUnit.SECONDS));
      if (Files.exists(run.resolve(Checkpoint.FILE))) {
        Checkpoint.load(run.resolve(Checkpoint.FILE)); // never torn
      }
    }
    Checkpoint killed = Checkpoint.load(run.resolve(Checkpoint.FILE));
    Process last = start(run, killed.meta().frames() + 3_000).process();
    assertTrue(last.waitFor(120, TimeUnit.SECONDS), "the last run finishes");
    assertEquals(0, last.exitValue(), logs(dir));

    Checkpoint done = Checkpoint.load(run.resolve(Checkpoint.FILE));
    assertTrue(done.meta().frames() > killed.meta().frames());
    long counted = done.meta().episodes().values().stream().mapToLong(Long::longValue).sum();
    assertEquals(counted, Files.readAllLines(run.resolve(RunDirectory.EPISODES)).size(),
        "one episodes.jsonl line per counted episode");
    for (String name : RunDirectory.LOGS) {
      for (String line : Files.readAllLines(run.resolve(name))) {
        long f = JsonParser.parseString(line).getAsJsonObject().get("frames").getAsLong();
        assertTrue(f <= done.meta().frames(), name + ": " + line);
      }
    }
    try (Stream<Path> files = Stream.concat(Files.list(run), Files.list(run.resolve("export")))) {
      assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList());
    }
  }

  private static String logs(Path dir) throws Exception {
    StringBuilder out = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("log-")).sorted().toList()) {
        out.append(f).append(File.separator).append('\n').append(Files.readString(f));
      }
    }
    return out.toString();
  }
}
