package ma3c.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;

/**
 * What tells one version of a file from another without reading it: size, modification time and
 * file key (the inode, which an atomic rename changes even when size and time happen to agree).
 */
record FileSignature(long size, Instant modified, Object fileKey) {
  /** The signature of a regular file; IOException also for a directory or a vanished file. */
  static FileSignature of(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    if (!a.isRegularFile()) {
      throw new IOException(file + " is not a regular file");
    }
    return new FileSignature(a.size(), a.lastModifiedTime().toInstant(), a.fileKey());
  }

  /** Whether the file was last modified at least {@code quiet} before {@code now}. */
  boolean quietFor(Duration quiet, Instant now) {
    return !modified.isAfter(now.minus(quiet));
  }
}
