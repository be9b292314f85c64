package ma3c.runformat;

import java.util.List;

/**
 * The names of a run directory's files, as the learner writes them and the dashboard, plot and
 * experiment reports read them.
 */
public final class RunFiles {
  /** The run's configuration (pretty JSON), written at the start and on a resume. */
  public static final String CONFIG = "config.json";
  /** One {@link EpisodeRecord} a line. */
  public static final String EPISODES = "episodes.jsonl";
  /** One {@link MetricsRecord} a line, every few seconds of training. */
  public static final String METRICS = "metrics.jsonl";
  /** What a resume continues from (the learner's binary checkpoint format). */
  public static final String CHECKPOINT = "checkpoint.bin";
  /** The folder of the exported policies (one {@code <game>.onnx} each). */
  public static final String EXPORT = "export";
  /**
   * Held (an exclusive file lock) by the learner that trains the run; the file stays after it
   * exits, so its presence alone says nothing.
   */
  public static final String LOCK = "run.lock";
  /** The logs a checkpoint records the length of, which a resume rewinds. */
  public static final List<String> LOGS = List.of(EPISODES, METRICS);

  private RunFiles() {}
}
