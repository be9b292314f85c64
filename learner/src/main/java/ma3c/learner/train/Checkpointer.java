package ma3c.learner.train;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import ma3c.learner.algo.TrainingCounters;
import ma3c.learner.algo.TrainingDiverged;
import ma3c.learner.export.PolicyExport;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.EpisodeStats;
import ma3c.learner.run.RunConfig;
import ma3c.learner.run.RunDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves a run's checkpoint (parameters, RMSProp statistics, counters, episode statistics, where
 * the logs end, the thread allocation) and the ONNX export beside it; never parameters that are
 * no longer finite.
 */
final class Checkpointer {
  // The run's lines, under the name they have always had.
  private static final Logger log = LoggerFactory.getLogger(Trainer.class);

  private final RunConfig config;
  private final RunDirectory runDir;
  private final TrainingCounters counters;
  private final TrainingSession session;
  private final AllocationScheduler scheduler;
  private final Consumer<TrainingDiverged> diverged;

  /** @param diverged told when a periodic checkpoint found the parameters no longer finite */
  Checkpointer(RunConfig config, RunDirectory runDir, TrainingCounters counters,
      TrainingSession session, AllocationScheduler scheduler, Consumer<TrainingDiverged> diverged) {
    this.config = config;
    this.runDir = runDir;
    this.counters = counters;
    this.session = session;
    this.scheduler = scheduler;
    this.diverged = diverged;
  }

  /** A periodic checkpoint: a failure is logged and training goes on, unless it diverged. */
  void saveQuietly() {
    try {
      save();
    } catch (TrainingDiverged e) {
      log.error(e.getMessage());
      diverged.accept(e);
    } catch (IOException | RuntimeException e) {
      log.error("checkpoint failed (training goes on)", e);
    }
  }

  /** Saves a checkpoint now; TrainingDiverged (nothing saved) when theta is no longer finite. */
  synchronized Checkpoint save() throws IOException {
    float[] theta = session.model().thetaSnapshot();
    if (!allFinite(theta)) {
      throw new TrainingDiverged("the parameters are no longer finite: keeping the last good checkpoint");
    }
    EpisodeStats episodes = session.episodes();
    EpisodeStats.Snapshot done = episodes.snapshot();
    Map<String, Long> logBytes = new LinkedHashMap<>();
    logBytes.put(RunDirectory.EPISODES, done.logBytes());
    logBytes.put(RunDirectory.METRICS, session.metricsLog().size());
    Checkpoint c = new Checkpoint(new Checkpoint.Meta(config, counters.frames(), counters.updates(),
        episodes.elapsedSeconds(), done.counts(), done.recentReturns(), session.actionMeanings(),
        Instant.now().toString(), logBytes, counters.framesPerGame(config.games()),
        scheduler.state()), theta, session.model().meanSquareSnapshot());
    c.save(runDir.resolve(Checkpoint.FILE));
    log.info("checkpoint at {} frames -> {}", c.meta().frames(), runDir.resolve(Checkpoint.FILE));
    // Keep export/ in step with the checkpoint, so a policy server watching it serves the latest.
    try {
      PolicyExport.write(c, runDir.resolve(RunDirectory.EXPORT));
    } catch (Exception e) {
      log.error("ONNX export failed (the checkpoint is saved; `ma3c export` can retry)", e);
    }
    return c;
  }

  private static boolean allFinite(float[] values) {
    for (float v : values) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }
}
