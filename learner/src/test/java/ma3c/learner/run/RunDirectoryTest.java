package ma3c.learner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
  private static Checkpoint.Meta at(long frames, Map<String, Long> logBytes) {
    return new Checkpoint.Meta(CheckpointTest.sample().meta().config(), frames, 1, 1, Map.of(),
        Map.of(), Map.of(), "now", logBytes, null, null);
  }

  @Test
  void aSecondHolderIsRefusedUntilTheFirstLetsGo(@TempDir Path dir) throws IOException {
    Path run = dir.resolve("run");
    try (RunDirectory first = RunDirectory.lock(run)) {
      IOException e = assertThrows(IOException.class, () -> RunDirectory.lock(run));
      assertTrue(e.getMessage().contains("in use by another ma3c process (pid "
          + ProcessHandle.current().pid() + ")"), e.getMessage());
    }
    RunDirectory.lock(run).close();
  }

  /** The failure clean-up runs where making the folder failed: nothing to remove is no error. */
  @Test
  void aFolderNeverMadeIsNothingToRemove(@TempDir Path dir) throws IOException {
    RunDirectory.removeIfUnused(dir.resolve("never-made"));
    RunDirectory.delete(dir.resolve("never-made"));
  }

  @Test
  void aLockHeldOnlyForAMomentIsWaitedFor(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    RunDirectory.lock(run).close();
    // A dashboard's probe, held here for 60 ms: the learner tries again rather than refuse. With
    // a patience far beyond 60 ms, so that a busy machine's late release thread still makes it.
    try (FileChannel probe = FileChannel.open(run.resolve("run.lock"), StandardOpenOption.READ)) {
      FileLock held = probe.lock(0, Long.MAX_VALUE, true);
      Thread release = new Thread(() -> {
        try {
          Thread.sleep(60);
          held.release();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      release.start();
      RunDirectory.lock(run, Duration.ofSeconds(60)).close();
      release.join();
    }
  }

  @Test
  void tempFilesOfAKilledProcessAreRemoved(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("export"));
    Path checkpointTemp = dir.resolve(".checkpoint.bin.1234.tmp");
    Path exportTemp = dir.resolve("export/.pong.onnx.5678.tmp");
    Files.writeString(checkpointTemp, "half");
    Files.writeString(exportTemp, "half");
    Path kept = dir.resolve("export/pong.onnx");
    Files.writeString(kept, "whole");
    try (RunDirectory run = RunDirectory.lock(dir)) {
      assertFalse(Files.exists(checkpointTemp));
      assertFalse(Files.exists(exportTemp));
      assertTrue(Files.exists(kept));
    }
  }

  @Test
  void logsAreCutBackToWhatTheCheckpointRecorded(@TempDir Path dir) throws IOException {
    String saved = "{\"frames\":10}\n{\"frames\":20}\n";
    Files.writeString(dir.resolve(RunDirectory.EPISODES), saved + "{\"frames\":30}\n{\"fra");
    Files.writeString(dir.resolve(RunDirectory.METRICS), "{\"frames\":5}\n");
    try (RunDirectory run = RunDirectory.lock(dir)) {
      run.rewindLogs(at(25, Map.of(RunDirectory.EPISODES, (long) saved.length(),
          RunDirectory.METRICS, 13L)));
    }
    assertEquals(saved, Files.readString(dir.resolve(RunDirectory.EPISODES)));
    assertEquals("{\"frames\":5}\n", Files.readString(dir.resolve(RunDirectory.METRICS)));
  }

  /** Checkpoints written before log lengths were recorded: whole lines up to its frames. */
  @Test
  void olderCheckpointsRewindByFrames(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve(RunDirectory.EPISODES),
        "{\"frames\":10}\n{\"frames\":20}\n{\"frames\":30}\n{\"frames\":2");
    try (RunDirectory run = RunDirectory.lock(dir)) {
      run.rewindLogs(at(20, null));
    }
    assertEquals(List.of("{\"frames\":10}", "{\"frames\":20}"),
        Files.readAllLines(dir.resolve(RunDirectory.EPISODES)));
  }

  @Test
  void aFreshStartDropsTheLogsOfARunWithoutCheckpoint(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve(RunDirectory.EPISODES), "{\"frames\":10}\n");
    try (RunDirectory run = RunDirectory.lock(dir)) {
      run.clearLogs();
    }
    assertFalse(Files.exists(dir.resolve(RunDirectory.EPISODES)));
  }
}
