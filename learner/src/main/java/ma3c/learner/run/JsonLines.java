package ma3c.learner.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An append-only JSON-lines file, safe to share between threads: each record is one line written
 * whole or not at all, so a reader (the dashboard, a resume) never meets a torn last line.
 */
public final class JsonLines implements AutoCloseable {
  private final FileChannel out;

  public JsonLines(Path file) throws IOException {
    this(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND));
  }

  /** On {@code out}, a channel opened for appending (tests hand in one that fails part-way). */
  JsonLines(FileChannel out) {
    this.out = out;
  }

  public synchronized void write(Object record) {
    ByteBuffer line = StandardCharsets.UTF_8.encode(Json.LINE.toJson(record) + "\n");
    long before;
    try {
      before = out.size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      while (line.hasRemaining()) {
        out.write(line);
      }
    } catch (IOException e) {
      // A full disk fails part-way through a line: cut the part written, so that the file ends
      // with the last whole record.
      try {
        out.truncate(before);
      } catch (IOException cut) {
        e.addSuppressed(cut);
      }
      throw new UncheckedIOException(e);
    }
  }

  /** Bytes in the file, every line written so far included (each is written whole). */
  public synchronized long size() {
    try {
      return out.size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
