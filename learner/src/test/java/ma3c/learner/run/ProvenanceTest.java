package ma3c.learner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record a run directory keeps of its training, as new, resumed and older runs get it. */
class ProvenanceTest {
  @Test
  void aNewRunGetsATrainingIdAndEachResumingBuildIsAddedOnce(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("pong");
    Provenance first = Provenance.record(run, "pong", null, "1.0+aaaaaaa");
    assertNotNull(first.training());
    assertNotNull(first.started());
    assertNull(first.trainedBy());
    assertNull(first.note());
    assertEquals(first, Provenance.read(run.resolve(Provenance.RUN_FILE)));

    Provenance.record(run, "pong", null, "1.0+aaaaaaa");
    Provenance resumed = Provenance.record(run, "pong", null, "1.0+bbbbbbb");
    assertEquals(first.training(), resumed.training(), "a resume continues the same training");
    assertEquals(first.started(), resumed.started());
    assertEquals(List.of("1.0+aaaaaaa", "1.0+bbbbbbb"), resumed.builds());

    Provenance other = Provenance.record(dir.resolve("pong-again"), "pong", null, "1.0+aaaaaaa");
    assertNotEquals(first.training(), other.training(), "another directory is another training");
  }

  @Test
  void aRunTrainedBeforeRecordsSaysSoAndAnExperimentThatContinuesItIsNamed(@TempDir Path run)
      throws Exception {
    Files.writeString(run.resolve(Checkpoint.FILE), "");
    Provenance older = Provenance.record(run, "pong", null, "1.0+aaaaaaa");
    assertNull(older.started(), "nobody knows when it started");
    assertEquals("recorded when it was resumed", older.note());

    Provenance continued = Provenance.record(run, "pong", "fig4", "1.0+bbbbbbb");
    assertEquals("fig4", continued.trainedBy());
    assertEquals(older.training(), continued.training());
    assertEquals("fig4", Provenance.record(run, "pong", "fig5", "1.0+bbbbbbb").trainedBy(),
        "the experiment that trains a run stays its trainer");
  }
}
