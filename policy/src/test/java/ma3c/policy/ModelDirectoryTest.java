package ma3c.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import ma3c.model.Architecture;
import ma3c.model.onnx.OnnxPolicy;
import ma3c.model.onnx.TestModels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Which files the directory serves, refuses and waits for, and what it logs about them. */
class ModelDirectoryTest {
  /** Long enough that only "unchanged since the previous look" makes a fresh file look finished. */
  private static final Duration QUIET = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(ModelDirectory.class);

  @BeforeEach
  void captureLog() {
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void releaseLog() {
    logger.detachAppender(logged);
  }

  private static ModelProto pong(long seed) {
    return TestModels.model("pong", false, Architecture.A3C, seed, TestModels.ACTIONS);
  }

  /** Writes {@code model} as pong.onnx, modified {@code secondsAgo} ago (negative: in the future). */
  private Path write(ModelProto model, long secondsAgo) throws Exception {
    Path file = TestModels.write(dir, "pong", model);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(secondsAgo)));
    return file;
  }

  private List<String> warnings() {
    return logged.list.stream().filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void aModelWithNonFiniteParametersIsRefusedAndWarnedAboutOncePerVersion() throws Exception {
    write(TestModels.withParameter(pong(1), "conv1_w", 3, Float.NaN), 60);
    try (ModelDirectory models = new ModelDirectory(dir, QUIET)) {
      for (int tick = 0; tick < 5; tick++) {
        models.refresh();
      }
      assertTrue(models.forGame("pong").isEmpty(), "not served");
      assertEquals(1, warnings().size(), warnings().toString());
      assertTrue(warnings().get(0).contains("pong.onnx") && warnings().get(0).contains("not all finite"));
      String refusal = models.refusal("pong").orElseThrow();
      assertTrue(refusal.contains("pong.onnx") && refusal.contains("not all finite"), refusal);
      assertFalse(refusal.contains(dir.toString()), "no server path for clients: " + refusal);

      write(TestModels.withParameter(pong(2), "conv1_w", 3, Float.NaN), 50);
      models.refresh();
      models.refresh();
      assertEquals(2, warnings().size(), "a new version of the file is checked, and warned about, again");

      write(pong(3), 40);
      models.refresh();
      assertTrue(models.forGame("pong").isPresent(), "a good version is served");
      assertTrue(models.refusal("pong").isEmpty());
    }
  }

  @Test
  void aRefusedVersionLeavesThePreviousModelInService() throws Exception {
    write(pong(1), 60);
    try (ModelDirectory models = new ModelDirectory(dir, QUIET)) {
      OnnxPolicy good = models.forGame("pong").orElseThrow();
      write(TestModels.withParameter(pong(2), "fc_b", 0, Float.POSITIVE_INFINITY), 50);
      models.refresh();
      assertSame(good, models.forGame("pong").orElseThrow());
      assertTrue(warnings().get(0).contains("previous version stays in service"), warnings().toString());
    }
  }

  @Test
  void aFileRewrittenInPlaceIsServedOnlyOnceItStopsChanging() throws Exception {
    Path file = write(pong(1), 60);
    byte[] next = pong(2).toByteArray();
    assertEquals(Files.size(file), next.length, "same architecture, same size: a half-rewritten file parses");
    try (ModelDirectory models = new ModelDirectory(dir, QUIET)) {
      OnnxPolicy old = models.forGame("pong").orElseThrow();
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(next, 0, next.length / 2), 0);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(1)));
        assertTrue(models.refresh(), "waiting for the file to settle");
        assertSame(old, models.forGame("pong").orElseThrow(), "half old, half new: not served");
        channel.write(ByteBuffer.wrap(next, next.length / 2, next.length - next.length / 2),
            next.length / 2);
      }
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(2)));
      models.refresh();
      assertSame(old, models.forGame("pong").orElseThrow(), "changed since the previous look");
      assertFalse(models.refresh(), "unchanged since the previous look: loaded");
      assertEquals(1234 + 2, models.forGame("pong").orElseThrow().metadata().framesTrained());
      assertTrue(warnings().isEmpty(), warnings().toString());
    }
  }

  /**
   * A writer that stalls mid-file for longer than any quiet interval: the file has looked finished
   * for a while, and half old, half new it parses and its parameters are finite. Its checksum
   * tells: it is refused, the old model stays, and the finished file is served.
   */
  @Test
  void aFileCaughtMidRewriteIsNeverServedHoweverLongTheWriterStalls() throws Exception {
    Path file = write(pong(1), 60);
    byte[] next = pong(2).toByteArray();
    assertEquals(Files.size(file), next.length, "same architecture, same size: a half-rewritten file parses");
    try (ModelDirectory models = new ModelDirectory(dir, QUIET)) {
      OnnxPolicy old = models.forGame("pong").orElseThrow();
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(next, 0, next.length / 2), 0);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(50)));
        models.refresh();
        models.refresh();
        assertSame(old, models.forGame("pong").orElseThrow(), "half old, half new: not served");
        assertTrue(warnings().get(0).contains("does not match its checksum"), warnings().toString());
        channel.write(ByteBuffer.wrap(next, next.length / 2, next.length - next.length / 2),
            next.length / 2);
      }
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(40)));
      models.refresh();
      assertEquals(1234 + 2, models.forGame("pong").orElseThrow().metadata().framesTrained());
    }
  }

  @Test
  void aFreshFileIsLoadedAtStartAfterOneQuietInterval() throws Exception {
    TestModels.write(dir, "pong", pong(1));
    long t0 = System.nanoTime();
    try (ModelDirectory models = new ModelDirectory(dir, Duration.ofMillis(200))) {
      assertTrue(models.forGame("pong").isPresent());
      assertTrue(System.nanoTime() - t0 >= 200_000_000L, "looked twice, 200 ms apart");
    }
  }
}
