package ma3c.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `java -jar ma3c-learner.jar` without the Vector API module: one line, not a dead thread. */
class LauncherTest {
  @Test
  void withoutTheVectorModuleItSaysHowToRunIt() throws Exception {
    Launched train = launch("train", "--games", "catch", "--frames", "100");
    assertEquals(2, train.exit(), train.out());
    assertTrue(train.out().contains("--add-modules jdk.incubator.vector"), train.out());
    assertFalse(train.out().contains("\n"), "one line: " + train.out());
  }

  /** The dashboard's container starts the jar without the module: reading runs needs none. */
  @Test
  void commandsThatDoNotTrainRunWithoutIt() throws Exception {
    Launched plot = launch("plot", "--help");
    assertEquals(0, plot.exit(), plot.out());
  }

  /** `ma3c --verbose export ...` is export, while options alone, --verbose among them, mean train. */
  @Test
  void theDefaultCommandIsTrainOnlyWhenNoneIsNamed(@TempDir Path dir) throws Exception {
    Launched export = launch("--verbose", "export", "--run", "nowhere");
    assertEquals(1, export.exit(), export.out());
    assertTrue(export.out().startsWith("ma3c export: nowhere holds no checkpoint"), export.out());
    // Train, refused here for the Vector API it needs: the command was found past --verbose.
    // (A launcher that got it wrong would train: briefly, and not in the working directory.)
    String run = dir.resolve("run").toString();
    for (String[] args : List.of(
        new String[] {"--verbose", "--games", "catch", "--frames", "100", "--run-dir", run},
        new String[] {"--verbose", "train", "--games", "catch", "--frames", "100", "--run-dir", run})) {
      Launched train = launch(args);
      assertEquals(2, train.exit(), List.of(args) + ": " + train.out());
      assertTrue(train.out().contains("--add-modules jdk.incubator.vector"), List.of(args) + ": " + train.out());
    }
  }

  private record Launched(int exit, String out) {}

  private static Launched launch(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), LearnerMain.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher hung");
    return new Launched(p.exitValue(), out);
  }
}
