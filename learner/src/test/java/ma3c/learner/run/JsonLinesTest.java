package ma3c.learner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesTest {
  /**
   * A disk that fills up in the middle of a record: the record is not in the file at all, the
   * lines before it are whole, and the log goes on once there is room again.
   */
  @Test
  void aRecordTheDiskCannotHoldIsNotWrittenAtAll(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("episodes.jsonl");
    FillingDisk disk = new FillingDisk(FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND));
    try (JsonLines log = new JsonLines(disk)) {
      log.write(Map.of("frames", 1));
      long whole = log.size();
      disk.room = 5;
      UncheckedIOException full = assertThrows(UncheckedIOException.class,
          () -> log.write(Map.of("frames", 2, "game", "a record longer than the room left")));
      assertEquals("No space left on device", full.getCause().getMessage());
      assertEquals(whole, log.size(), "no torn line left behind");
      assertEquals(List.of("{\"frames\":1}"), Files.readAllLines(file, StandardCharsets.UTF_8));
      disk.room = Long.MAX_VALUE;
      log.write(Map.of("frames", 3));
    }
    assertEquals(List.of("{\"frames\":1}", "{\"frames\":3}"),
        Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  /** A file channel that writes {@link #room} more bytes, a few at a time, then fails as ENOSPC does. */
  private static final class FillingDisk extends FileChannel {
    private final FileChannel real;
    long room = Long.MAX_VALUE;

    FillingDisk(FileChannel real) {
      this.real = real;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      if (room <= 0) {
        throw new IOException("No space left on device");
      }
      ByteBuffer some = src.slice();
      some.limit((int) Math.min(Math.min(some.remaining(), room), 3));
      int n = real.write(some);
      src.position(src.position() + n);
      room -= n;
      return n;
    }

    @Override public int read(ByteBuffer dst) throws IOException { return real.read(dst); }
    @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return real.read(dsts, offset, length);
    }
    @Override public long write(ByteBuffer[] srcs, int offset, int length) {
      throw new UnsupportedOperationException();
    }
    @Override public long position() throws IOException { return real.position(); }
    @Override public FileChannel position(long p) throws IOException { real.position(p); return this; }
    @Override public long size() throws IOException { return real.size(); }
    @Override public FileChannel truncate(long size) throws IOException { real.truncate(size); return this; }
    @Override public void force(boolean metaData) throws IOException { real.force(metaData); }
    @Override public long transferTo(long p, long c, WritableByteChannel t) { throw new UnsupportedOperationException(); }
    @Override public long transferFrom(ReadableByteChannel s, long p, long c) { throw new UnsupportedOperationException(); }
    @Override public int read(ByteBuffer dst, long p) throws IOException { return real.read(dst, p); }
    @Override public int write(ByteBuffer src, long p) { throw new UnsupportedOperationException(); }
    @Override public MappedByteBuffer map(MapMode m, long p, long s) { throw new UnsupportedOperationException(); }
    @Override public FileLock lock(long p, long s, boolean sh) { throw new UnsupportedOperationException(); }
    @Override public FileLock tryLock(long p, long s, boolean sh) { throw new UnsupportedOperationException(); }
    @Override protected void implCloseChannel() throws IOException { real.close(); }
  }
}
