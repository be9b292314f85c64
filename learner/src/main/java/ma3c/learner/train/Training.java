package ma3c.learner.train;

import java.nio.file.Files;
import java.nio.file.Path;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.RunConfig;
import ma3c.learner.run.RunDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link RunConfig} in a run directory: what `train`, `distill`, `experiment` and Java
 * programs call. The directory is locked for the whole call; a new directory that failed before
 * it held anything is removed again.
 *
 * <pre>{@code
 * Checkpoint last = Training.in(Path.of("runs/catch")).startOrResume(config);
 * }</pre>
 */
public final class Training {
  private static final Logger log = LoggerFactory.getLogger(Training.class);

  private final Path dir;
  private int envConnections = 1;
  private boolean connectionPerThread;
  private Hook whileTraining = t -> {};
  private String trainedBy;

  /** What a caller does with the trainer before it runs. */
  @FunctionalInterface
  public interface Hook {
    void accept(Trainer trainer) throws Exception;
  }

  private Training(Path dir) {
    this.dir = dir;
  }

  /** Training in {@code runDir} (made if missing). */
  public static Training in(Path runDir) {
    return new Training(runDir);
  }

  /** Connections to each of the run's env endpoints (see EnvEndpoints.remote); default 1. */
  public Training envConnections(int connections) {
    this.envConnections = connections;
    this.connectionPerThread = false;
    return this;
  }

  /** A connection to the env endpoints for each actor thread (for transport-thread services). */
  public Training connectionPerThread() {
    this.connectionPerThread = true;
    return this;
  }

  /**
   * Called with the trainer just before it runs, on the calling thread (to serve its metrics,
   * or to keep it for {@link Trainer#stop()} from a signal handler).
   */
  public Training whileTraining(Hook hook) {
    this.whileTraining = hook;
    return this;
  }

  /** The experiment (figure) that trains the run, named in its provenance; none by default. */
  public Training trainedBy(String experiment) {
    this.trainedBy = experiment;
    return this;
  }

  /** A new run; refused where the directory already holds one. */
  public Checkpoint start(RunConfig config) throws Exception {
    return run(new RunPlan.Start(dir, config));
  }

  /**
   * The run in the directory continued as {@code config} (a larger budget, other endpoints,
   * other reporting; anything else that differs is refused), or started if there is none.
   */
  public Checkpoint startOrResume(RunConfig config) throws Exception {
    return run(Files.exists(dir.resolve(Checkpoint.FILE)) ? new RunPlan.Continue(dir, saved -> config)
        : new RunPlan.Start(dir, config));
  }

  /**
   * Carries out a plan made for this directory; returns the final checkpoint (the one it
   * resumed from, or null, when stopped before training began).
   */
  public Checkpoint run(RunPlan plan) throws Exception {
    if (!plan.dir().equals(dir)) {
      throw new IllegalArgumentException("a plan for " + plan.dir() + " given to training in " + dir);
    }
    boolean created = !Files.exists(dir);
    // Locked before the checkpoint is read: a second learner on the directory stops here.
    try (RunDirectory run = RunDirectory.lock(dir)) {
      Checkpoint from = null;
      RunConfig config;
      if (plan instanceof RunPlan.Continue resume) {
        from = Checkpoint.load(dir.resolve(Checkpoint.FILE));
        config = RunPlanner.resumed(from.meta().config(),
            resume.asked().apply(from.meta().config()), from.meta().frames());
        from = from.withConfig(config);
        log.info("resuming {} at {} frames", dir, from.meta().frames());
      } else {
        // Planned before the lock; checked again now that no other learner can start one here.
        if (Files.exists(dir.resolve(Checkpoint.FILE))) {
          throw RunPlanner.alreadyHoldsARun(dir);
        }
        config = ((RunPlan.Start) plan).config();
      }
      Trainer trainer = new Trainer(config, run, from).withEnvConnections(
          connectionPerThread ? config.threads() : envConnections).trainedBy(trainedBy);
      whileTraining.accept(trainer);
      Checkpoint last = trainer.run();
      log.info("run directory: {}", dir.toAbsolutePath());
      return last;
    } catch (Throwable failed) {
      if (created) {
        RunDirectory.removeIfUnused(dir, failed);
      }
      throw failed;
    }
  }
}
