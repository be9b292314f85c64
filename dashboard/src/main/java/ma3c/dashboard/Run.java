package ma3c.dashboard;

import static ma3c.runformat.RunFiles.CHECKPOINT;
import static ma3c.runformat.RunFiles.CONFIG;
import static ma3c.runformat.RunFiles.EPISODES;
import static ma3c.runformat.RunFiles.LOCK;
import static ma3c.runformat.RunFiles.METRICS;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ma3c.runformat.JsonlTail;
import ma3c.runformat.RunConfigSummary;

/**
 * One run directory as the dashboard follows it: its config, status, and its two logs read
 * incrementally (episodes.jsonl only once its curves are asked for: listing a hundred runs reads
 * only their small metrics logs). Thread-safe: the server's threads share it.
 */
final class Run {
  /** The files that make a directory a run directory. */
  static final List<String> MARKERS = List.of(CONFIG, EPISODES, METRICS, LOCK);
  /** An experiment arm's seed: `-s<N>` between dashes or at the end (ArmRun's run ids). */
  private static final Pattern SEED = Pattern.compile("-s(\\d+)(?=-|$)");

  /** What the run list shows of a run. */
  record Summary(String id, String name, String dir, String group, Long seed, String status,
      RunConfigSummary config, long frames, double fps, Double etaSeconds,
      Map<String, MetricsHistory.GameLatest> games, long updated, String version) {}

  /** A run's per-game curves, downsampled. */
  record Curves(String id, String version, Map<String, List<FrameBuckets.Point>> games, long badLines) {}

  private final String id;
  private final Path dir;
  private final JsonlTail episodesTail;
  private final JsonlTail metricsTail;
  private final EpisodeCurves curves = new EpisodeCurves();
  private final MetricsHistory metrics = new MetricsHistory();
  private RunConfigSummary config;
  private FileTime configTime;

  Run(String id, Path dir) {
    this.id = id;
    this.dir = dir;
    this.episodesTail = new JsonlTail(dir.resolve(EPISODES));
    this.metricsTail = new JsonlTail(dir.resolve(METRICS));
  }

  static boolean isRun(Path dir) {
    return Files.isDirectory(dir) && MARKERS.stream().anyMatch(m -> Files.exists(dir.resolve(m)));
  }

  String id() {
    return id;
  }

  Path dir() {
    return dir;
  }

  String name() {
    return dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
  }

  /** The experiment arm: the name without its seed; runs that differ only in seed share it. */
  static String group(String name) {
    return SEED.matcher(name).replaceFirst("");
  }

  static Long seed(String name) {
    Matcher m = SEED.matcher(name);
    return m.find() ? Long.valueOf(m.group(1)) : null;
  }

  synchronized Summary summary() throws IOException {
    metricsTail.poll(metrics);
    RunConfigSummary c = config();
    MetricsHistory.Latest latest = metrics.latest();
    boolean locked = RunLock.held(dir);
    FileTime logs = newest(modified(EPISODES), modified(METRICS));
    FileTime checkpoint = modified(CHECKPOINT);
    boolean checkpointAfterLogs = checkpoint != null && (logs == null || checkpoint.compareTo(logs) >= 0);
    RunStatus status = RunStatus.of(locked, RunStatus.budgetReached(c, latest), checkpointAfterLogs);
    double fps = latest == null || Double.isNaN(latest.fps()) ? 0 : latest.fps();
    Double eta = status == RunStatus.RUNNING && fps > 0 && c.frameBudget() > 0
        ? RunStatus.framesLeft(c, latest) / fps : null;
    FileTime updated = newest(logs, checkpoint);
    return new Summary(id, name(), dir.toAbsolutePath().toString(), group(name()), seed(name()),
        status.id(), c, latest == null ? 0 : latest.frames(), fps, eta,
        latest == null ? Map.of() : latest.games(), updated == null ? 0 : updated.toMillis(),
        version(status));
  }

  synchronized Curves curves(int points) throws IOException {
    episodesTail.poll(curves);
    return new Curves(id, version(null), curves.curves(points), curves.badLines());
  }

  synchronized MetricsHistory.Series metrics(int points) throws IOException {
    metricsTail.poll(metrics);
    return metrics.downsample(points);
  }

  /** Changes when a log changes size or the status changes: the page fetches curves again then. */
  private String version(RunStatus status) throws IOException {
    return size(EPISODES) + "-" + size(METRICS) + (status == null ? "" : "-" + status.id());
  }

  private RunConfigSummary config() throws IOException {
    FileTime t = modified(CONFIG);
    if (config == null || t == null || !t.equals(configTime)) {
      config = RunConfigSummary.read(dir.resolve(CONFIG));
      configTime = t;
    }
    return config;
  }

  private FileTime modified(String file) throws IOException {
    try {
      return Files.getLastModifiedTime(dir.resolve(file));
    } catch (NoSuchFileException absent) {
      return null;
    }
  }

  private long size(String file) throws IOException {
    try {
      return Files.size(dir.resolve(file));
    } catch (NoSuchFileException absent) {
      return -1;
    }
  }

  private static FileTime newest(FileTime a, FileTime b) {
    return a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
  }
}
