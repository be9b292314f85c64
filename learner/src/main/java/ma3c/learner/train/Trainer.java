package ma3c.learner.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import ma3c.learner.algo.A3CObjective;
import ma3c.learner.algo.ActorLearner;
import ma3c.learner.algo.GamePlayer;
import ma3c.learner.algo.Objective;
import ma3c.learner.algo.TrainingCounters;
import ma3c.learner.algo.TrainingDiverged;
import ma3c.learner.distill.DistillObjective;
import ma3c.learner.env.ResilientEnv;
import ma3c.learner.monitor.LossMeter;
import ma3c.learner.monitor.PhaseTimes;
import ma3c.learner.monitor.ThreadMonitor;
import ma3c.learner.monitor.TrunkProbe;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.LearnerMetrics;
import ma3c.learner.run.ProgressReporter;
import ma3c.learner.run.RunConfig;
import ma3c.learner.run.RunDirectory;
import ma3c.model.A3CNet;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training run: connects the actor-learner threads of every game to the env service, builds
 * the shared model (fresh or from a checkpoint), runs them to the frame budget, reports progress,
 * checkpoints periodically and at the end.
 */
public final class Trainer {
  private static final Logger log = LoggerFactory.getLogger(Trainer.class);

  private final RunConfig config;
  private final RunDirectory runDir;
  private final Checkpoint resume;
  private final TrainingCounters counters;
  private final AllocationScheduler scheduler;
  private final PhaseTimes phases = new PhaseTimes();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private int envConnections = 1;
  private String trainedBy;

  public Trainer(RunConfig config, RunDirectory runDir, Checkpoint resume) {
    this.config = config;
    this.runDir = runDir;
    this.resume = resume;
    this.counters = resume == null ? new TrainingCounters(0, 0)
        : new TrainingCounters(resume.meta().frames(), resume.meta().updates(),
            resume.meta().gameFrames() == null ? Map.of() : resume.meta().gameFrames());
    this.scheduler = new AllocationScheduler(config, counters, resume);
  }

  /** Connections to each --env endpoint (see EnvEndpoints.remote); not part of the run's config. */
  public Trainer withEnvConnections(int connections) {
    this.envConnections = connections;
    return this;
  }

  /** The experiment that trains the run, named in its provenance; none outside an experiment. */
  public Trainer trainedBy(String experiment) {
    this.trainedBy = experiment;
    return this;
  }

  public TrainingCounters counters() {
    return counters;
  }

  /** Where the threads' time goes, per phase of Algorithm 1. */
  public PhaseTimes phases() {
    return phases;
  }

  /** The run's meters (frames, returns, losses per game), for --metrics-port. */
  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  /** Asks the threads to stop after their current rollout; run() then saves and returns. */
  public void stop() {
    counters.stop();
  }

  /**
   * Trains to the frame budget (or stop()); returns the final checkpoint, or the one it resumed
   * from (null for a new run) when stopped before training began.
   */
  public Checkpoint run() throws Exception {
    TrainingSession session;
    try {
      session = TrainingSession.open(config, runDir, resume, counters, scheduler.allocation(),
          envConnections, trainedBy);
    } catch (ResilientEnv.Stopped stopped) {
      log.info("stopped before training began");
      return resume;
    }
    try (session) {
      LossMeter losses = new LossMeter(session.model().blockNames());
      TrunkProbe probe = new TrunkProbe(config.games());
      List<Thread> threads = startThreads(session, losses, probe);
      ProgressReporter progress = new ProgressReporter(config.a3c(), counters, session.episodes(),
          losses, () -> probe.measure(session.model()), session.metricsLog(),
          scheduler.allocation()::active);
      LearnerMetrics.register(metrics, config.games(), counters, session.episodes(),
          scheduler.allocation()::active, progress);
      Checkpointer checkpoints = new Checkpointer(config, runDir, counters, session, scheduler,
          this::fail);
      ScheduledExecutorService timers = startTimers(progress, checkpoints, session);
      for (Thread t : threads) {
        t.join();
      }
      // shutdown, not shutdownNow: an interrupt during a timer's write closes the FileChannel
      // under it (an InterruptibleChannel), and with it the metrics log this last line goes to.
      timers.shutdown();
      timers.awaitTermination(1, TimeUnit.MINUTES);
      progress.report();
      return finalCheckpoint(checkpoints);
    }
  }

  /**
   * Progress lines, periodic checkpoints and adaptive allocation's decisions, on one thread. Fixed
   * delays, not fixed rates: after the process was stopped (SIGSTOP, a suspended laptop) a fixed
   * rate fires every missed tick at once, a burst of progress lines with meaningless frames/s and
   * of back-to-back checkpoints.
   */
  private ScheduledExecutorService startTimers(ProgressReporter progress, Checkpointer checkpoints,
      TrainingSession session) {
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "progress");
      t.setDaemon(true);
      return t;
    });
    RunConfig.Reporting every = config.reporting();
    timers.scheduleWithFixedDelay(progress::report, every.progressSeconds(),
        every.progressSeconds(), TimeUnit.SECONDS);
    timers.scheduleWithFixedDelay(checkpoints::saveQuietly, every.checkpointSeconds(),
        every.checkpointSeconds(), TimeUnit.SECONDS);
    if (config.adaptiveAllocation()) {
      timers.scheduleWithFixedDelay(() -> scheduler.reallocate(session.episodes()), 1, 1,
          TimeUnit.SECONDS);
    }
    return timers;
  }

  /** The last checkpoint; the run's failure, if a thread or a checkpoint met one. */
  private Checkpoint finalCheckpoint(Checkpointer checkpoints) throws Exception {
    Checkpoint last;
    String saved;
    try {
      last = checkpoints.save();
      saved = "checkpoint saved";
    } catch (TrainingDiverged diverged) {
      failure.compareAndSet(null, diverged);
      last = null;
      saved = "the last good checkpoint is kept";
    }
    if (failure.get() != null) {
      throw new IllegalStateException("training stopped: " + failure.get().getMessage() + " ("
          + saved + ")", failure.get());
    }
    return last;
  }

  /** Stops the run for good: its threads after their current rollout, with {@code cause}. */
  private void fail(Throwable cause) {
    failure.compareAndSet(null, cause);
    counters.stop();
  }

  private List<Thread> startThreads(TrainingSession session, LossMeter losses, TrunkProbe probe) {
    List<Thread> threads = new ArrayList<>();
    Map<String, Integer> slots = new LinkedHashMap<>();
    List<ResilientEnv> envs = session.envs();
    ActorLearner.Shared shared = new ActorLearner.Shared(config.a3c(), session.model(), counters);
    try {
      for (int i = 0; i < envs.size(); i++) {
        String game = envs.get(i).spec().getGame();
        int slot = slots.merge(game, 1, Integer::sum) - 1;
        ActorLearner learner = learner(session, shared, i, slot,
            new ThreadMonitor(phases, probe, losses));
        threads.add(thread(learner, "actor-" + i + "-" + game));
      }
    } catch (OutOfMemoryError e) {
      // Each thread holds its own copy of the parameters, a gradient and a rollout's activations;
      // none has started yet, so dropping them frees the heap again.
      threads.clear();
      throw new IllegalStateException(envs.size() + " actor-learner threads do not fit in this JVM's"
          + " heap (" + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB): use fewer threads, or"
          + " a larger -Xmx in MA3C_JAVA_OPTS");
    }
    threads.forEach(Thread::start);
    return threads;
  }

  /** Actor-learner {@code i}, thread {@code slot} of its game: A3C's, or a distillation student. */
  private ActorLearner learner(TrainingSession session, ActorLearner.Shared shared, int i,
      int slot, ThreadMonitor monitor) {
    ResilientEnv env = session.envs().get(i);
    String game = env.spec().getGame();
    A3CNet local = new A3CNet(session.model().layout(), game, config.a3c().rollout().tMax());
    GamePlayer player = new GamePlayer(env, i, session.model().layout().spec().frames(), counters,
        session.episodes()::record);
    SplittableRandom random = new SplittableRandom(config.seed() * 7919 + i + counters.updates());
    Objective objective = session.teachers() == null
        ? new A3CObjective(config.a3c(), player, local)
        : new DistillObjective(config.a3c(), player, local, session.teachers().of(game), random);
    return new ActorLearner(shared, player, local, random, objective,
        scheduler.allocation().turns(game, slot), monitor);
  }

  private Thread thread(Runnable learner, String name) {
    Thread t = new Thread(learner, name);
    t.setUncaughtExceptionHandler((th, e) -> {
      if (e instanceof TrainingDiverged || e instanceof IllegalStateException) {
        log.error("{} failed; stopping the run: {}", th.getName(), e.getMessage());
      } else {
        log.error("{} failed; stopping the run", th.getName(), e);
      }
      fail(e);
    });
    return t;
  }
}
