package ma3c.runformat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpisodeRecordTest {
  /** The line the learner has written since per-game frames: the format on disk. */
  private static final String LINE = "{\"time\":12.5,\"game\":\"pong\",\"thread\":3,\"frames\":40000,"
      + "\"gameFrames\":20000,\"episodeReturn\":-21.0,\"length\":812}";

  @Test
  void writesTheFieldsOfEpisodesJsonl() {
    EpisodeRecord e = new EpisodeRecord(12.5, "pong", 3, 40_000, 20_000, -21, 812);
    assertEquals(LINE, e.toLine());
    assertEquals(e, EpisodeRecord.parse(e.toLine()));
    assertEquals(e, RunJson.LINE.fromJson(LINE, EpisodeRecord.class));
  }

  @Test
  void logsWithoutPerGameFramesUseTheRunsFrames() {
    EpisodeRecord old = EpisodeRecord.parse(
        "{\"time\":1.0,\"game\":\"pong\",\"thread\":0,\"frames\":5000,\"episodeReturn\":-21.0,\"length\":9}");
    assertEquals(new EpisodeRecord(1, "pong", 0, 5000, 0, -21, 9), old);
    assertEquals(5000, old.curveFrames());
    assertEquals(20_000, EpisodeRecord.parse(LINE).curveFrames());
  }

  @Test
  void malformedLinesReadAsNull() {
    assertNull(EpisodeRecord.parse("{\"game\":\"pong\",\"frames\":2"), "torn");
    assertNull(EpisodeRecord.parse("not json"));
    assertNull(EpisodeRecord.parse("[1,2]"));
    assertNull(EpisodeRecord.parse("{\"game\":\"pong\",\"frames\":3000,\"episodeReturn\":null}"));
    assertNull(EpisodeRecord.parse("{\"frames\":3000,\"episodeReturn\":1}"), "no game");
    assertNull(EpisodeRecord.parse("{\"game\":\"pong\",\"episodeReturn\":1}"), "no frames");
    assertNull(EpisodeRecord.parse("{\"game\":\"pong\",\"frames\":1000,\"episodeReturn\":-20.0} trailing"));
    assertNull(EpisodeRecord.parse("{\"game\":\"pong\",\"frames\":\"many\",\"episodeReturn\":1}"));
    // A field the curves do not need that is not a number does not cost the episode.
    EpisodeRecord odd = EpisodeRecord.parse(
        "{\"game\":\"pong\",\"frames\":1000,\"episodeReturn\":2,\"thread\":\"x\",\"extra\":[1]}");
    assertEquals(0, odd.thread());
    assertTrue(Double.isNaN(odd.time()));
  }

  /** The dashboard's way of reading a growing log: whole lines only, bad ones skipped. */
  @Test
  void aTailOfALogSkipsMalformedLinesAndWaitsForATornLastOne(@TempDir Path dir) throws IOException {
    Path file = dir.resolve(RunFiles.EPISODES);
    EpisodeRecord first = new EpisodeRecord(1, "pong", 0, 1000, 1000, -21, 100);
    EpisodeRecord second = new EpisodeRecord(2, "pong", 1, 2000, 2000, -20, 100);
    String secondLine = second.toLine();
    Files.writeString(file, first.toLine() + "\nnot json\n" + secondLine.substring(0, 20));
    List<EpisodeRecord> read = new ArrayList<>();
    int[] bad = {0};
    JsonlTail.Reader reader = new JsonlTail.Reader() {
      @Override
      public void restarted() {
        read.clear();
      }

      @Override
      public void line(String line) {
        EpisodeRecord e = EpisodeRecord.parse(line);
        if (e == null) {
          bad[0]++;
        } else {
          read.add(e);
        }
      }
    };
    JsonlTail tail = new JsonlTail(file);
    tail.poll(reader);
    assertEquals(List.of(first), read);
    assertEquals(1, bad[0]);
    Files.writeString(file, secondLine.substring(20) + "\n", java.nio.file.StandardOpenOption.APPEND);
    tail.poll(reader);
    assertEquals(List.of(first, second), read);
    assertEquals(1, bad[0]);
  }
}
