package ma3c.runformat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Follows a JSON-lines file that another process appends to: each poll returns the lines completed
 * since the last one. A last line without its newline (a write in progress, or the torn line of a
 * killed learner) is left for a later poll, which reads it again once completed. A file that does
 * not exist yet reads as empty. A file cut back or rewritten (a resume rewinds the logs to its
 * checkpoint) is noticed, because the line before the offset no longer matches, and read again
 * from the start: the poll then says {@code restarted} first, so that the reader drops what it
 * built. Lines go to the reader one by one: a log of millions of episodes is never held whole.
 * Lines are handed over as text: a reader skips (and may count) those it cannot parse, e.g. with
 * {@link EpisodeRecord#parse(String)} and {@link MetricsRecord#parse(String)}, which return null
 * for a malformed line.
 */
public final class JsonlTail {
  /** Receives a poll's lines. */
  public interface Reader {
    /** The file is read again from its start: forget its earlier lines. */
    void restarted();

    /** One complete line, stripped, never blank. */
    void line(String line);
  }

  private static final int CHUNK = 1 << 20;

  private final Path file;
  private long offset;
  /** The last complete line read (its newline included), to detect a rewritten file. */
  private byte[] lastLine = new byte[0];

  public JsonlTail(Path file) {
    this.file = file;
  }

  /** Bytes consumed so far: the end of the last complete line. */
  public long offset() {
    return offset;
  }

  /** Reads what was completed since the last poll; nothing when the file does not exist (yet). */
  public void poll(Reader reader) throws IOException {
    FileChannel in;
    try {
      in = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException notYet) {
      if (offset > 0) {
        restart(reader);
      }
      return;
    }
    try (in) {
      if (offset > 0 && !stillThere(in)) {
        restart(reader);
      }
      readLines(in, reader);
    }
  }

  private void restart(Reader reader) {
    offset = 0;
    lastLine = new byte[0];
    reader.restarted();
  }

  /** Whether the file still holds, just before the offset, the last line this tail read. */
  private boolean stillThere(FileChannel in) throws IOException {
    if (in.size() < offset) {
      return false;
    }
    ByteBuffer buf = ByteBuffer.allocate(lastLine.length);
    long at = offset - lastLine.length;
    while (buf.hasRemaining() && in.read(buf, at + buf.position()) > 0) {
      // read until full
    }
    return Arrays.equals(buf.array(), lastLine);
  }

  private void readLines(FileChannel in, Reader reader) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(CHUNK);
    byte[] pending = new byte[0];
    long at = offset;
    int n;
    while ((n = in.read(buf, at)) > 0) {
      at += n;
      byte[] chunk = concat(pending, buf.array(), n);
      int start = 0;
      for (int i = 0; i < chunk.length; i++) {
        if (chunk[i] == '\n') {
          String line = new String(chunk, start, i - start, StandardCharsets.UTF_8).strip();
          if (!line.isEmpty()) {
            reader.line(line);
          }
          lastLine = Arrays.copyOfRange(chunk, start, i + 1);
          offset += i + 1 - start;
          start = i + 1;
        }
      }
      pending = Arrays.copyOfRange(chunk, start, chunk.length);
      buf.clear();
    }
  }

  private static byte[] concat(byte[] head, byte[] tail, int tailLength) {
    byte[] out = Arrays.copyOf(head, head.length + tailLength);
    System.arraycopy(tail, 0, out, head.length, tailLength);
    return out;
  }
}
