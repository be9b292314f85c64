package ma3c.learner.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ma3c.cli.CommandRun;
import ma3c.learner.LearnerMain;
import ma3c.learner.run.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotCommandTest {
  @TempDir
  Path dir;

  private static CommandRun plot(String... args) {
    return CommandRun.of(LearnerMain.commandLine(), args);
  }

  /** A run directory with a few catch episodes. */
  private Path run(String path) throws IOException {
    Path run = dir.resolve(path);
    Files.createDirectories(run);
    StringBuilder log = new StringBuilder();
    for (int i = 1; i <= 3; i++) {
      log.append("{\"time\":").append(i).append(",\"game\":\"catch\",\"thread\":0,\"frames\":")
          .append(i * 1000).append(",\"gameFrames\":").append(i * 1000)
          .append(",\"episodeReturn\":1.0,\"length\":9}\n");
    }
    Files.writeString(run.resolve(RunDirectory.EPISODES), log);
    return run;
  }

  @Test
  void runsWithTheSameDirectoryNameArePlottedSideBySide() throws IOException {
    Path png = dir.resolve("p.png");
    CommandRun r = plot("plot", run("x/a/run").toString(), run("x/b/run").toString(), "-o", png.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(Files.size(png) > 0);
  }

  @Test
  void eachRunIsNamedByTheShortestPathSuffixNoOtherRunEndsWith() {
    assertEquals(List.of("a", "b"), PlotCommand.names(List.of(Path.of("/runs/a"), Path.of("/runs/b"))));
    assertEquals(List.of("a/run", "b/run", "c"),
        PlotCommand.names(List.of(Path.of("/x/a/run"), Path.of("/x/b/run"), Path.of("/x/c"))));
    // One run's path ends the other's: it is named by its whole path.
    assertEquals(List.of("/x/run", "y/x/run"),
        PlotCommand.names(List.of(Path.of("/x/run"), Path.of("/y/x/run"))));
  }

  @Test
  void theSameRunTwiceIsAUsageError() throws IOException {
    Path run = run("runs/a");
    Path png = dir.resolve("p.png");
    plot("plot", run.toString(), dir.resolve("runs/./a/").toString(), "-o", png.toString())
        .assertUsageError("is given twice");
    assertFalse(Files.exists(png), "nothing written");
  }

  @Test
  void theHelpShowsWhereThePngGoesByDefault() {
    CommandRun r = plot("plot", "--help");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("Default: curves.png (in the current"), r.out());
  }
}
