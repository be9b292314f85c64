package ma3c.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policies in a directory ({@code *.onnx}), one per game, reloaded when files appear, change
 * or vanish. A file that fails to load is logged and skipped; the previous model of its game
 * stays in service until a good one replaces it.
 */
public final class ModelDirectory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ModelDirectory.class);

  private record Loaded(OnnxPolicy policy, FileTime modified) {}

  /** A replaced model may still be answering a request: it is closed only after this delay. */
  private static final long RETIRE_NANOS = 30_000_000_000L;

  private record Retired(OnnxPolicy policy, long since) {}

  private final Path dir;
  private final Map<Path, Loaded> byFile = new ConcurrentHashMap<>();
  private final java.util.Deque<Retired> retired = new java.util.ArrayDeque<>();
  private volatile Map<String, OnnxPolicy> byGame = Map.of();

  public ModelDirectory(Path dir) {
    this.dir = dir;
    refresh();
  }

  public Path dir() {
    return dir;
  }

  /** Re-reads the directory; cheap when nothing changed (file times only). */
  public synchronized void refresh() {
    while (!retired.isEmpty() && System.nanoTime() - retired.peekFirst().since() > RETIRE_NANOS) {
      closeQuietly(retired.removeFirst().policy());
    }
    Map<Path, FileTime> present = new TreeMap<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".onnx")).toList()) {
          present.put(f, Files.getLastModifiedTime(f));
        }
      } catch (IOException e) {
        log.warn("cannot list {}: {}", dir, e.toString());
        return;
      }
    }
    boolean changed = byFile.keySet().removeIf(f -> {
      if (!present.containsKey(f)) {
        log.info("model {} removed", f.getFileName());
        retire(byFile.get(f).policy());
        return true;
      }
      return false;
    });
    for (Map.Entry<Path, FileTime> e : present.entrySet()) {
      Loaded old = byFile.get(e.getKey());
      if (old != null && old.modified().equals(e.getValue())) {
        continue;
      }
      try {
        OnnxPolicy policy = new OnnxPolicy(e.getKey());
        byFile.put(e.getKey(), new Loaded(policy, e.getValue()));
        if (old != null) {
          retire(old.policy());
        }
        changed = true;
        log.info("loaded {} for {} ({} frames trained)", e.getKey().getFileName(),
            policy.metadata().game(), policy.metadata().framesTrained());
      } catch (Exception ex) {
        log.warn("cannot load {}: {}", e.getKey().getFileName(), ex.getMessage());
      }
    }
    if (changed) {
      Map<String, OnnxPolicy> games = new TreeMap<>();
      byFile.values().forEach(l -> games.put(l.policy().metadata().game(), l.policy()));
      byGame = Map.copyOf(games);
    }
  }

  private void retire(OnnxPolicy policy) {
    retired.addLast(new Retired(policy, System.nanoTime()));
  }

  public Optional<OnnxPolicy> forGame(String game) {
    return Optional.ofNullable(byGame.get(game));
  }

  /** Models by game, sorted. */
  public Map<String, OnnxPolicy> models() {
    return new TreeMap<>(byGame);
  }

  private static void closeQuietly(OnnxPolicy p) {
    try {
      p.close();
    } catch (Exception e) {
      log.debug("closing {}", p.file(), e);
    }
  }

  @Override
  public synchronized void close() {
    byFile.values().forEach(l -> closeQuietly(l.policy()));
    retired.forEach(r -> closeQuietly(r.policy()));
    retired.clear();
    byFile.clear();
    byGame = Map.of();
  }
}
