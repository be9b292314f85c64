package ma3c.learner.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import ma3c.learner.LearnerMain;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed results are what their kept logs say: for every manifest in experiments/,
 * `experiment --report-only` on a copy of the committed results (a clean clone has no run
 * directories) writes the committed results.md byte for byte, and changes no kept log or its
 * provenance. A report that read another figure's log, or a log rewritten under a figure,
 * fails here.
 */
class CommittedResultsTest {
  private static final Path EXPERIMENTS = Path.of("..", "experiments");

  @TempDir static Path scratch;

  @TestFactory
  Stream<DynamicTest> everyCommittedReportIsReproducedFromItsKeptLogs() throws IOException {
    Path results = scratch.resolve("results");
    copyTree(EXPERIMENTS.resolve("results"), results);
    List<Path> manifests;
    try (Stream<Path> files = Files.list(EXPERIMENTS)) {
      manifests = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertTrue(manifests.size() >= 7, "the figures' manifests: " + manifests);
    return manifests.stream().map(m -> DynamicTest.dynamicTest(m.getFileName().toString(), () -> {
      // Model sizes come from the ROMs' action sets on a clone without checkpoints.
      Path roms = ma3c.env.TestRoms.dir();
      String figure = Manifest.load(m).figure();
      assertEquals(0, LearnerMain.commandLine().execute("experiment", m.toString(), "--report-only",
          "--runs-dir", scratch.resolve("no-runs").toString(), "--results-dir", results.toString(),
          "--rom-dir", roms.toString()));
      Path committed = EXPERIMENTS.resolve("results").resolve(figure);
      // Run from learner/, the manifest's path in the "Made by" line is ../experiments/...
      assertEquals(Files.readString(committed.resolve("results.md"))
              .replace("`./ma3c experiment experiments/", "`./ma3c experiment ../experiments/"),
          Files.readString(results.resolve(figure).resolve("results.md")),
          figure + ": the committed results.md is not what its kept logs give");
      for (Path file : files(committed.resolve("episodes"))) {
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(file),
            Files.readAllBytes(results.resolve(figure).resolve("episodes").resolve(file.getFileName()))),
            file + " was rewritten by the report");
      }
      assertEquals(files(committed.resolve("episodes")).size(),
          files(results.resolve(figure).resolve("episodes")).size(), figure + ": kept files added or lost");
    }));
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> all = Files.list(dir)) {
      return new ArrayList<>(all.sorted().toList());
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
