package ma3c.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

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
