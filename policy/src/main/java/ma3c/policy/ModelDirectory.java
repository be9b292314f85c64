package ma3c.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import ma3c.model.onnx.ModelRefusedException;
import ma3c.model.onnx.OnnxPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policies in a directory ({@code *.onnx}), one per game, reloaded when files appear, change
 * or vanish. A file that is refused (see OnnxPolicy) is logged once per version of the file and
 * not served; the previous model of its game, if any, stays in service until a good one
 * replaces it, and a game with none answers why (see {@link #refusal}).
 *
 * <p>A model rewritten in place (without an atomic rename) is never served half old, half new.
 * A file is read only once it looks finished: its size, modification time and inode the same as
 * at the previous look (one reload interval earlier) or its modification time at least
 * {@code quiet} in the past, and still the same after it has been read into memory. The bytes
 * read are then checked whole before they replace the model in service (see OnnxPolicy): their
 * checksum (every export carries one), protobuf, metadata, finite parameters, ONNX Runtime
 * session, graph shapes. A writer that stalls mid-file for longer than the quiet interval leaves
 * a file that looks finished, but its content matches no version's checksum: it is refused (the
 * previous model stays in service) and read again once it changes. Only a model exported before
 * checksums existed relies on looking finished alone.
 */
public final class ModelDirectory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ModelDirectory.class);

  /** A replaced model may still be answering a request: it is closed only after this delay. */
  private static final long RETIRE_NANOS = 30_000_000_000L;

  private record Loaded(OnnxPolicy policy, FileSignature signature) {}

  private record Refused(FileSignature signature, String game, String reason) {}

  private record Retired(OnnxPolicy policy, long since) {}

  private final Path dir;
  private final Duration quiet;
  // Guarded by this; requests read only the two volatile maps below.
  private final Map<Path, Loaded> served = new HashMap<>();
  private final Map<Path, Refused> refused = new HashMap<>();
  private final Map<Path, FileSignature> lastLook = new HashMap<>();
  private final Deque<Retired> retired = new ArrayDeque<>();
  private volatile Map<String, OnnxPolicy> byGame = Map.of();
  private volatile Map<String, String> refusals = Map.of();

  /**
   * Loads what is finished now. Files written less than {@code quiet} ago are looked at again
   * after {@code quiet}, so a server started right after an export serves it at once.
   */
  public ModelDirectory(Path dir, Duration quiet) {
    this.dir = dir;
    this.quiet = quiet;
    if (refresh()) {
      try {
        Thread.sleep(quiet.toMillis());
        refresh();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public Path dir() {
    return dir;
  }

  /**
   * Re-reads the directory; cheap when nothing changed (file attributes only). Returns whether a
   * file is waiting to look finished.
   */
  public synchronized boolean refresh() {
    try {
      return scan();
    } catch (RuntimeException e) {
      // Runs on a scheduler that would silently stop at the first exception.
      log.warn("reloading models from {} failed", dir, e);
      return false;
    }
  }

  private boolean scan() {
    while (!retired.isEmpty() && System.nanoTime() - retired.peekFirst().since() > RETIRE_NANOS) {
      closeQuietly(retired.removeFirst().policy());
    }
    Map<Path, FileSignature> present = list();
    if (present == null) {
      return false;
    }
    boolean changed = served.keySet().removeIf(f -> {
      if (!present.containsKey(f)) {
        log.info("model {} removed", f.getFileName());
        retire(served.get(f).policy());
        return true;
      }
      return false;
    });
    changed |= refused.keySet().retainAll(present.keySet());
    lastLook.keySet().retainAll(present.keySet());
    boolean waiting = false;
    Instant now = Instant.now();
    for (Map.Entry<Path, FileSignature> e : present.entrySet()) {
      Path file = e.getKey();
      FileSignature signature = e.getValue();
      Loaded current = served.get(file);
      Refused refusal = refused.get(file);
      if (current != null && current.signature().equals(signature)
          || refusal != null && refusal.signature().equals(signature)) {
        continue;
      }
      FileSignature previous = lastLook.put(file, signature);
      if (!signature.equals(previous) && !signature.quietFor(quiet, now)) {
        waiting = true;
        continue;
      }
      changed |= load(file, signature);
    }
    if (changed) {
      publish();
    }
    return waiting;
  }

  /** The model files and their signatures; null when the directory cannot be listed. */
  private Map<Path, FileSignature> list() {
    Map<Path, FileSignature> present = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return present;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".onnx")).toList()) {
        try {
          present.put(f, FileSignature.of(f));
        } catch (IOException ex) {
          log.debug("skipping {}: {}", f, ex.toString());
        }
      }
      return present;
    } catch (IOException e) {
      log.warn("cannot list {}: {}", dir, e.toString());
      return null;
    }
  }

  /** Reads, checks and swaps in one file; whether what is served or refused changed. */
  private boolean load(Path file, FileSignature signature) {
    String name = file.getFileName().toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
      if (!FileSignature.of(file).equals(signature)) {
        return false; // written to while we read it: next time
      }
    } catch (IOException ex) {
      log.debug("cannot read {} now: {}", file, ex.toString());
      return false;
    }
    Loaded old = served.get(file);
    try {
      OnnxPolicy policy = new OnnxPolicy(name, bytes);
      served.put(file, new Loaded(policy, signature));
      refused.remove(file);
      if (old != null) {
        retire(old.policy());
      }
      log.info("loaded {} for {} ({} frames trained)", name, policy.metadata().game(),
          policy.metadata().framesTrained());
    } catch (ModelRefusedException ex) {
      refuse(file, signature, ex.game(), ex.getMessage(), ex.getCause(), old != null);
    } catch (RuntimeException ex) {
      refuse(file, signature, null, "it cannot be loaded", ex, old != null);
    }
    return true;
  }

  /** Remembers the refusal so that this version of the file is neither retried nor logged again. */
  private void refuse(Path file, FileSignature signature, String game, String reason,
      Throwable cause, boolean oldStays) {
    // A file too broken to say its game is taken for the one its name says (`export` writes
    // <game>.onnx), so that a client asking for that game learns why there is no model.
    String name = file.getFileName().toString();
    String forGame = game != null ? game : name.substring(0, name.length() - ".onnx".length());
    refused.put(file, new Refused(signature, forGame, reason));
    log.warn("refusing {}: {}{}{}", file.getFileName(), reason,
        cause == null ? "" : " [" + cause + "]",
        oldStays ? "; its previous version stays in service" : "");
  }

  private void publish() {
    Map<String, OnnxPolicy> games = new TreeMap<>();
    served.values().forEach(l -> games.put(l.policy().metadata().game(), l.policy()));
    Map<String, String> reasons = new TreeMap<>();
    refused.forEach((file, r) -> {
      if (r.game() != null && !games.containsKey(r.game())) {
        reasons.put(r.game(), "the model for '" + r.game() + "' (" + file.getFileName()
            + ") is refused: " + r.reason());
      }
    });
    byGame = Map.copyOf(games);
    refusals = Map.copyOf(reasons);
  }

  private void retire(OnnxPolicy policy) {
    retired.addLast(new Retired(policy, System.nanoTime()));
  }

  public Optional<OnnxPolicy> forGame(String game) {
    return Optional.ofNullable(byGame.get(game));
  }

  /** Why {@code game} has no model in service although a file is there for it, if so. */
  public Optional<String> refusal(String game) {
    return Optional.ofNullable(refusals.get(game));
  }

  /** Models by game, sorted. */
  public Map<String, OnnxPolicy> models() {
    return new TreeMap<>(byGame);
  }

  private static void closeQuietly(OnnxPolicy p) {
    try {
      p.close();
    } catch (Exception e) {
      log.debug("closing {}", p.fileName(), e);
    }
  }

  @Override
  public synchronized void close() {
    served.values().forEach(l -> closeQuietly(l.policy()));
    retired.forEach(r -> closeQuietly(r.policy()));
    retired.clear();
    served.clear();
    byGame = Map.of();
  }
}
