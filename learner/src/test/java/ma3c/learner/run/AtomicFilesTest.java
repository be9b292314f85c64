package ma3c.learner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @Test
  void replacesTheFileAndLeavesNoTempFiles(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("a.json");
    AtomicFiles.writeString(file, "old");
    AtomicFiles.writeString(file, "new");
    assertEquals("new", Files.readString(file));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void aFailedWriteKeepsTheOldFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("checkpoint.bin");
    AtomicFiles.writeString(file, "old");
    assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
      out.write(1);
      throw new IOException("disk full");
    }));
    assertEquals("old", Files.readString(file));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "the temp file is removed");
    }
  }

  /** Exports are read by other users (the policy server's container): the umask decides. */
  @Test
  void getsTheModeOfAnOrdinaryNewFile(@TempDir Path dir) throws IOException {
    Path ordinary = Files.createFile(dir.resolve("ordinary"));
    Path written = dir.resolve("written");
    AtomicFiles.writeString(written, "x");
    assertEquals(Files.getPosixFilePermissions(ordinary), Files.getPosixFilePermissions(written));
  }
}
