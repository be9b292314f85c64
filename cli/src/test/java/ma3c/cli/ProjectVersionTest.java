package ma3c.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ProjectVersionTest {
  /** Built in a git checkout (the tests are): the build names the version and a commit. */
  @Test
  void theBuildNamesTheVersionAndTheCommit() throws IOException {
    String build = ProjectVersion.build();
    assertTrue(build.startsWith(ProjectVersion.version() + "+"), build);
    String commit = build.substring(build.indexOf('+') + 1).replace("-dirty", "");
    assertTrue(commit.matches("[0-9a-f]{7,40}"), "an abbreviated commit id, got " + build);
    assertEquals(-1, build.indexOf("${"), "filtered: " + build);
  }
}
