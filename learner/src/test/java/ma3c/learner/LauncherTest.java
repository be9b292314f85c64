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
    Process p = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), LearnerMain.class.getName(),
        "train", "--games", "catch", "--frames", "100"))
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher hung");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.contains("--add-modules jdk.incubator.vector"), out);
    assertFalse(out.contains("\n"), "one line: " + out);
  }
}
