package ma3c.learner.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

/**
 * Where an episode log came from. A run id names a configuration, not a training: the same id
 * trained twice (Hogwild is not bit-reproducible) gives two different logs, two samples. So every
 * run directory records a random id of its training, when it started, the builds that trained it
 * and, for an experiment's run, which experiment started it ({@value #RUN_FILE}); and every log a
 * figure's results keep carries a copy of that record with the log's content hash beside it
 * ({@code <run id>.provenance.json}).
 *
 * @param run the run id (a configuration; a run started by `train` is named by its directory)
 * @param trainedBy the experiment (figure) that trained it; null for a run `train` started, or
 *     when nobody recorded it
 * @param training a random id of this training; two logs of one run id with different trainings
 *     are different samples. Null for logs kept before provenance was recorded.
 * @param started when its training started (UTC, ISO 8601); null when unknown
 * @param builds the builds that trained it, in order ({@code ProjectVersion.build()})
 * @param sha256 of the log's uncompressed content; null in a run directory (it still grows)
 * @param episodes lines of the log; null in a run directory
 * @param note anything else a reader should know (e.g. how a record was recovered)
 */
public record Provenance(String run, String trainedBy, String training, String started,
    List<String> builds, String sha256, Long episodes, String note) {

  /** The record in a run directory. */
  public static final String RUN_FILE = "provenance.json";

  /** The record beside a kept log {@code <id>.jsonl.gz}. */
  public static Path besideKept(Path keptLog) {
    String name = keptLog.getFileName().toString();
    return keptLog.resolveSibling(name.substring(0, name.indexOf(".jsonl")) + ".provenance.json");
  }

  /**
   * Records in the run directory {@code dir} that {@code build} trains it: a new record for a new
   * run, the build added to a resumed run's. A run with a checkpoint and no record (trained before
   * provenance was recorded) gets one that says so; a run `train` started and an experiment
   * continues is the experiment's from then on.
   *
   * @param trainedBy the experiment that trains it; null for `train`
   * @return the record written
   */
  public static Provenance record(Path dir, String run, String trainedBy, String build)
      throws IOException {
    Path file = dir.resolve(RUN_FILE);
    Provenance p = read(file);
    if (p == null) {
      boolean resumed = Files.exists(dir.resolve(Checkpoint.FILE));
      p = new Provenance(run, trainedBy, UUID.randomUUID().toString(),
          resumed ? null : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), List.of(), null,
          null, resumed ? "recorded when it was resumed" : null);
    } else if (p.trainedBy() == null && trainedBy != null) {
      p = p.continuedBy(trainedBy);
    }
    Files.createDirectories(dir);
    Provenance recorded = p.trainedWith(build);
    recorded.write(file);
    return recorded;
  }

  /** The record in {@code file}, or null when there is none. */
  public static Provenance read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Provenance p = Json.LINE.fromJson(Files.readString(file), Provenance.class);
    if (p == null || p.run() == null) {
      throw new IOException(file + ": not a provenance record (no run id)");
    }
    return p;
  }

  public void write(Path file) throws IOException {
    AtomicFiles.writeString(file, Json.PRETTY.toJson(this) + "\n");
  }

  /** The same training, also run by {@code build} (added once, in order). */
  public Provenance trainedWith(String build) {
    List<String> all = new ArrayList<>(builds == null ? List.of() : builds);
    if (!all.contains(build)) {
      all.add(build);
    }
    return new Provenance(run, trainedBy, training, started, all, sha256, episodes, note);
  }

  /** The same training, continued by the experiment {@code experiment}. */
  private Provenance continuedBy(String experiment) {
    return new Provenance(run, experiment, training, started, builds, sha256, episodes, note);
  }

  /** This record for a kept copy of the log whose content is {@code log}. */
  public Provenance keptAs(Path log) throws IOException {
    return new Provenance(run, trainedBy, training, started, builds, sha256(log), lines(log), note);
  }

  /** True when both records name one training (both recorded it and it is the same). */
  public boolean sameTraining(Provenance other) {
    return other != null && training != null && training.equals(other.training());
  }

  /** SHA-256 of a log's content, read through gzip when its name ends in .gz. */
  public static String sha256(Path log) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
    try (InputStream in = open(log)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static long lines(Path log) throws IOException {
    long n = 0;
    try (InputStream in = open(log)) {
      byte[] buffer = new byte[1 << 16];
      for (int r; (r = in.read(buffer)) > 0; ) {
        for (int i = 0; i < r; i++) {
          n += buffer[i] == '\n' ? 1 : 0;
        }
      }
    }
    return n;
  }

  private static InputStream open(Path log) throws IOException {
    InputStream raw = Files.newInputStream(log);
    return log.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
  }
}
