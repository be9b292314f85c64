package ma3c.learner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ma3c.learner.run.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's "Use it from Java" program is this module's TrainCatch, and it trains and exports. */
class ReadmeJavaExampleTest {
  private static final Path PROGRAM = Path.of("src", "test", "java", "TrainCatch.java");

  @Test
  void theReadmeShowsTheProgramThatRunsHere() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    int heading = readme.indexOf("\n## Use it from Java\n");
    assertTrue(heading >= 0, "README has a section \"Use it from Java\"");
    int start = readme.indexOf("```java\n", heading);
    assertTrue(start >= 0, "with a java block");
    int body = start + "```java\n".length();
    String shown = readme.substring(body, readme.indexOf("```", body));
    assertEquals(Files.readString(PROGRAM), shown, "README's program and " + PROGRAM + " must agree");
  }

  @Test
  void theProgramTrainsCatchAndExportsItsPolicy(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("catch");
    Class.forName("TrainCatch").getMethod("main", String[].class)
        .invoke(null, (Object) new String[] {run.toString()});
    Checkpoint last = Checkpoint.load(run.resolve(Checkpoint.FILE));
    assertTrue(last.meta().frames() >= 200_000, "trained to its budget: " + last.meta().frames());
    assertTrue(Files.size(run.resolve("export/catch.onnx")) > 0, "exported");
  }
}
