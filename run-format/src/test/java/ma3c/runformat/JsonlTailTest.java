package ma3c.runformat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlTailTest {
  @TempDir
  Path dir;

  /** What one poll delivered. */
  private static final class Collected implements JsonlTail.Reader {
    boolean restarted;
    final List<String> lines = new ArrayList<>();

    @Override
    public void restarted() {
      restarted = true;
      lines.clear();
    }

    @Override
    public void line(String line) {
      lines.add(line);
    }
  }

  private static void appendRaw(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static Collected poll(JsonlTail tail) throws IOException {
    Collected c = new Collected();
    tail.poll(c);
    return c;
  }

  @Test
  void aMissingFileReadsAsEmptyUntilItAppears() throws IOException {
    Path file = dir.resolve("episodes.jsonl");
    JsonlTail tail = new JsonlTail(file);
    Collected first = poll(tail);
    assertTrue(first.lines.isEmpty());
    assertFalse(first.restarted);
    Files.writeString(file, "{\"a\":1}\n");
    assertEquals(List.of("{\"a\":1}"), poll(tail).lines);
  }

  @Test
  void aTornLastLineIsReadOnceItIsCompleted() throws IOException {
    Path file = dir.resolve("episodes.jsonl");
    Files.writeString(file, "{\"a\":1}\n{\"a\":2}\n{\"a\":");
    JsonlTail tail = new JsonlTail(file);
    assertEquals(List.of("{\"a\":1}", "{\"a\":2}"), poll(tail).lines);
    assertEquals(16, tail.offset());
    // Still torn: nothing new, the offset stays at the end of the last whole line.
    assertTrue(poll(tail).lines.isEmpty());
    appendRaw(file, "3}\n{\"a\":4}\n");
    Collected rest = poll(tail);
    assertFalse(rest.restarted);
    assertEquals(List.of("{\"a\":3}", "{\"a\":4}"), rest.lines);
  }

  @Test
  void growthIsReadIncrementallyAndBlankLinesAreSkipped() throws IOException {
    Path file = dir.resolve("metrics.jsonl");
    Files.writeString(file, "1\n\n2\n");
    JsonlTail tail = new JsonlTail(file);
    assertEquals(List.of("1", "2"), poll(tail).lines);
    assertTrue(poll(tail).lines.isEmpty());
    appendRaw(file, "3\r\n4\n");
    assertEquals(List.of("3", "4"), poll(tail).lines);
  }

  @Test
  void linesLongerThanTheReadChunkArriveWhole() throws IOException {
    Path file = dir.resolve("big.jsonl");
    String big = "x".repeat(3 << 20);
    Files.writeString(file, "a\n" + big + "\nb\n");
    Collected c = poll(new JsonlTail(file));
    assertEquals(3, c.lines.size());
    assertEquals(big, c.lines.get(1));
    assertEquals("b", c.lines.get(2));
  }

  @Test
  void aFileCutBackAndWrittenAgainIsReadFromItsStart() throws IOException {
    Path file = dir.resolve("episodes.jsonl");
    Files.writeString(file, "{\"frames\":1}\n{\"frames\":2}\n{\"frames\":3}\n");
    JsonlTail tail = new JsonlTail(file);
    assertEquals(3, poll(tail).lines.size());
    // A resume cuts the log back to its checkpoint, then appends: longer than before, other lines.
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(13);
    }
    appendRaw(file, "{\"frames\":20}\n{\"frames\":30}\n{\"frames\":40}\n");
    Collected after = poll(tail);
    assertTrue(after.restarted);
    assertEquals(List.of("{\"frames\":1}", "{\"frames\":20}", "{\"frames\":30}", "{\"frames\":40}"), after.lines);
  }

  @Test
  void aFileThatShrinksOrDisappearsRestarts() throws IOException {
    Path file = dir.resolve("episodes.jsonl");
    Files.writeString(file, "1\n2\n");
    JsonlTail tail = new JsonlTail(file);
    poll(tail);
    Files.writeString(file, "9\n");
    Collected shrunk = poll(tail);
    assertTrue(shrunk.restarted);
    assertEquals(List.of("9"), shrunk.lines);
    Files.delete(file);
    assertTrue(poll(tail).restarted);
    assertEquals(0, tail.offset());
  }
}
