package ma3c.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import ma3c.learner.run.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `ma3c train` as a container runs it: the same command line again resumes the run. */
class TrainCommandTest {
  private static int train(Path run, long frames) {
    return new CommandLine(new LearnerMain()).execute("train", "--games", "catch", "--arch", "a3c",
        "--threads", "1", "--frames", String.valueOf(frames), "--run-dir", run.toString(),
        "--resume-if-exists", "--progress-every", "60");
  }

  @Test
  void resumeIfExistsStartsThenResumes(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    assertEquals(0, train(run, 4_000));
    Checkpoint first = Checkpoint.load(run.resolve(Checkpoint.FILE));
    assertTrue(first.meta().frames() >= 4_000);
    assertTrue(Files.isRegularFile(run.resolve("export/catch.onnx")), "exported beside the checkpoint");

    assertEquals(0, train(run, 8_000), "a second start resumes instead of refusing the directory");
    Checkpoint second = Checkpoint.load(run.resolve(Checkpoint.FILE));
    assertTrue(second.meta().frames() >= 8_000);
    assertTrue(second.meta().updates() > first.meta().updates(), "it went on from the checkpoint");
  }

  @Test
  void resumeIfExistsNeedsARunDir() {
    assertEquals(2, new CommandLine(new LearnerMain()).execute("train", "--resume-if-exists"));
  }
}
