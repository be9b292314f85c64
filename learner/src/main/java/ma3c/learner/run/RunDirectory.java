package ma3c.learner.run;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import ma3c.runformat.RunFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run directory held by one process: an exclusive lock (a second learner on the same directory
 * is refused), no temp files left from a killed process, and logs rewound to the checkpoint the
 * run continues from, so that episodes.jsonl and metrics.jsonl never hold lines the checkpoint
 * does not know about (duplicates, frames going backwards, torn lines).
 */
public final class RunDirectory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RunDirectory.class);

  // The names are the run format's (ma3c-run-format), which the dashboard reads too.
  public static final String CONFIG = RunFiles.CONFIG;
  public static final String EPISODES = RunFiles.EPISODES;
  public static final String METRICS = RunFiles.METRICS;
  public static final String EXPORT = RunFiles.EXPORT;
  /** The logs a checkpoint records the length of. */
  public static final List<String> LOGS = RunFiles.LOGS;
  private static final String LOCK = RunFiles.LOCK;
  /** How long {@link #lock(Path)} keeps trying before it says the run is in use. */
  private static final Duration LOCK_PATIENCE = Duration.ofMillis(200);
  private static final Duration LOCK_RETRY_DELAY = Duration.ofMillis(50);

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private RunDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Removes {@code dir}, which this process created for a new run, if the run failed before it
   * logged or saved anything (an unknown game, a busy port): there is nothing in it to resume or
   * look at, and a dashboard would list it as a crashed run.
   */
  public static void removeIfUnused(Path dir) throws IOException {
    // Called on failure paths, where making the folder may be what failed (a read-only file
    // system, a folder of another user): nothing there is nothing to remove.
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
        || Files.exists(dir.resolve(Checkpoint.FILE))) {
      return;
    }
    for (String log : LOGS) {
      if (Files.exists(dir.resolve(log)) && Files.size(dir.resolve(log)) > 0) {
        return;
      }
    }
    delete(dir);
  }

  /**
   * As {@link #removeIfUnused(Path)} on the way out of a failed run: a clean-up that fails too is
   * added to {@code cause} as suppressed, so the user still reads why the run failed.
   */
  public static void removeIfUnused(Path dir, Throwable cause) {
    try {
      removeIfUnused(dir);
    } catch (IOException | RuntimeException cleanup) {
      cause.addSuppressed(cleanup);
    }
  }

  /** Removes {@code dir} and everything in it: a run nobody will resume or look at. */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Creates the directory if needed, takes its lock and removes temp files of earlier processes. */
  public static RunDirectory lock(Path dir) throws IOException {
    return lock(dir, LOCK_PATIENCE);
  }

  /** As {@link #lock(Path)}, trying for the lock for {@code patience} before refusing. */
  static RunDirectory lock(Path dir, Duration patience) throws IOException {
    // export/ from the start: a policy server pointed at it can start before the first export.
    Files.createDirectories(dir.resolve(EXPORT));
    FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
    // A dashboard probes the lock for microseconds (a shared lock taken and released at once):
    // a few tries over the patience tell such a probe from a learner that holds the run.
    FileLock lock;
    try {
      lock = Failsafe.with(RetryPolicy.<FileLock>builder()
          .handleResultIf(Objects::isNull)
          .withDelay(LOCK_RETRY_DELAY)
          .withMaxRetries((int) (patience.toMillis() / LOCK_RETRY_DELAY.toMillis()))
          .build()).get(() -> tryLock(channel));
    } catch (FailsafeException e) {
      channel.close();
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw e;
    }
    if (lock == null) {
      String holder = new String(Files.readAllBytes(dir.resolve(LOCK)), StandardCharsets.UTF_8).trim();
      channel.close();
      throw new IOException(dir + " is in use by another ma3c process"
          + (holder.isEmpty() ? "" : " (pid " + holder + ")"));
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid())
        .getBytes(StandardCharsets.UTF_8)), 0);
    RunDirectory run = new RunDirectory(dir, channel, lock);
    run.removeTempFiles();
    return run;
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException sameJvm) {
      return null;
    }
  }

  public Path path() {
    return dir;
  }

  public Path resolve(String name) {
    return dir.resolve(name);
  }

  /**
   * Before a fresh start: a directory without a checkpoint holds no run, so logs left by one that
   * died before its first checkpoint are dropped rather than mixed with the new run's.
   */
  public void clearLogs() throws IOException {
    for (String name : LOGS) {
      Path file = dir.resolve(name);
      if (Files.exists(file) && Files.size(file) > 0) {
        log.warn("{}: dropping the log of a run that stopped before its first checkpoint", file);
        Files.delete(file);
      }
    }
  }

  /**
   * Before a resume: cuts each log back to the length the checkpoint recorded; for checkpoints
   * that predate recorded lengths, keeps the whole lines whose frames do not exceed the
   * checkpoint's. Either way a torn last line goes.
   */
  public void rewindLogs(Checkpoint.Meta meta) throws IOException {
    for (String name : LOGS) {
      Path file = dir.resolve(name);
      if (!Files.exists(file)) {
        continue;
      }
      Long recorded = meta.logBytes() == null ? null : meta.logBytes().get(name);
      long before = Files.size(file);
      if (recorded != null && recorded <= before) {
        truncate(file, recorded);
      } else {
        if (recorded != null) {
          log.warn("{} is shorter than when the checkpoint was written ({} < {} bytes)", file,
              before, recorded);
        }
        keepUpTo(file, meta.frames());
      }
      long after = Files.size(file);
      if (after < before) {
        log.info("{}: dropped {} bytes written after the checkpoint", file, before - after);
      }
    }
  }

  /** Current lengths of the logs, as a checkpoint records them. */
  public static Map<String, Long> lengths(Map<String, JsonLines> logs) {
    Map<String, Long> out = new LinkedHashMap<>();
    logs.forEach((name, lines) -> out.put(name, lines.size()));
    return out;
  }

  private static void truncate(Path file, long length) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(length);
      channel.force(true);
    }
  }

  private static void keepUpTo(Path file, long frames) throws IOException {
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      JsonElement frameCount = framesOf(line);
      if (frameCount != null && frameCount.getAsLong() <= frames) {
        kept.add(line);
      }
    }
    AtomicFiles.writeString(file, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
  }

  private static JsonElement framesOf(String line) {
    try {
      JsonElement e = JsonParser.parseString(line);
      return e.isJsonObject() ? e.getAsJsonObject().get("frames") : null;
    } catch (RuntimeException torn) {
      return null;
    }
  }

  private void removeTempFiles() throws IOException {
    for (Path folder : List.of(dir, dir.resolve(EXPORT))) {
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try (DirectoryStream<Path> temps = Files.newDirectoryStream(folder, ".*.tmp")) {
        for (Path temp : temps) {
          try {
            Files.delete(temp);
            log.debug("removed {}", temp);
          } catch (NoSuchFileException gone) {
            // Another cleanup got it first.
          }
        }
      }
    }
  }

  /** Releases the lock and removes temp files (a write interrupted by a stop leaves none). */
  @Override
  public void close() {
    try {
      removeTempFiles();
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
