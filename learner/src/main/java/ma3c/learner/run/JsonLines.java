package ma3c.learner.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An append-only JSON-lines file, one flushed line per record, safe to share between threads. */
public final class JsonLines implements AutoCloseable {
  private final Path file;
  private final BufferedWriter out;

  public JsonLines(Path file) throws IOException {
    this.file = file;
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  public synchronized void write(Object record) {
    try {
      out.write(Json.LINE.toJson(record));
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Bytes in the file, every line written so far included (each is flushed whole). */
  public synchronized long size() {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
