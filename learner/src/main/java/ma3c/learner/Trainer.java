package ma3c.learner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import ma3c.env.v1.EnvConfig;
import ma3c.learner.algo.ActorLearner;
import ma3c.learner.algo.AllocationPolicy;
import ma3c.learner.algo.GamePlayer;
import ma3c.learner.algo.SharedModel;
import ma3c.learner.algo.ThreadAllocation;
import ma3c.learner.algo.TrainingDiverged;
import ma3c.learner.algo.TrainingCounters;
import ma3c.learner.algo.TrunkProbe;
import ma3c.learner.distill.DistillLearner;
import ma3c.learner.distill.Teachers;
import ma3c.learner.env.EnvEndpoints;
import ma3c.learner.env.ResilientEnv;
import ma3c.learner.export.PolicyExport;
import ma3c.model.A3CNet;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;
import ma3c.learner.run.AtomicFiles;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.EpisodeStats;
import ma3c.learner.run.Json;
import ma3c.learner.run.JsonLines;
import ma3c.learner.run.LearnerMetrics;
import ma3c.learner.run.LossMeter;
import ma3c.learner.run.ProgressReporter;
import ma3c.learner.run.RunConfig;
import ma3c.learner.run.RunDirectory;
import ma3c.learner.transfer.WarmStart;
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
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private SharedModel model;
  private Map<String, List<String>> actionMeanings;
  private EpisodeStats episodes;
  private JsonLines metricsLog;
  private final ThreadAllocation allocation;
  private final AllocationPolicy policy = new AllocationPolicy();
  private volatile long lastDecisionFrames;
  private Teachers teachers;
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private int envConnections = 1;

  public Trainer(RunConfig config, RunDirectory runDir, Checkpoint resume) {
    this.config = config;
    this.runDir = runDir;
    this.resume = resume;
    this.counters = resume == null ? new TrainingCounters(0, 0)
        : new TrainingCounters(resume.meta().frames(), resume.meta().updates(),
            resume.meta().gameFrames() == null ? Map.of() : resume.meta().gameFrames());
    this.allocation = config.adaptiveAllocation()
        ? ThreadAllocation.adaptive(config.threadsPerGame())
        : ThreadAllocation.equal(config.threadsPerGame());
    this.lastDecisionFrames = counters.frames();
    Checkpoint.Allocation kept = resume == null ? null : resume.meta().allocation();
    if (config.adaptiveAllocation() && kept != null) {
      try {
        // As kept, except for games whose budget a resume raised: they get their least back.
        java.util.Set<String> done = new java.util.HashSet<>();
        config.games().stream().filter(g -> config.a3c().budgetReached(counters, g)).forEach(done::add);
        allocation.set(AllocationPolicy.settle(allocation, kept.active(), done, config.games()));
        policy.restore(kept.memory());
        lastDecisionFrames = kept.decidedAtFrames();
      } catch (IllegalArgumentException doesNotFit) {
        log.warn("the checkpoint's thread allocation {} does not fit this run's thread groups ({});"
            + " starting from them", kept.active(), doesNotFit.getMessage());
      }
    }
  }

  /** Connections to each --env endpoint (see EnvEndpoints.remote); not part of the run's config. */
  public Trainer withEnvConnections(int connections) {
    this.envConnections = connections;
    return this;
  }

  public TrainingCounters counters() {
    return counters;
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
    if (resume == null) {
      runDir.clearLogs();
    } else {
      runDir.rewindLogs(resume.meta());
    }
    List<String> games = config.games();
    try (JsonLines episodeLog = new JsonLines(runDir.resolve(RunDirectory.EPISODES));
        JsonLines metricsLog = new JsonLines(runDir.resolve(RunDirectory.METRICS));
        EnvEndpoints endpoints = config.env().endpoints().isEmpty()
            ? EnvEndpoints.embedded(Path.of(config.env().romDir()),
                config.games().stream().mapToInt(allocation::threads).sum())
            : EnvEndpoints.remote(config.env().endpoints(), config.env().clientSecurity(),
                envConnections)) {
      double elapsed = resume == null ? 0 : resume.meta().elapsedSeconds();
      episodes = new EpisodeStats(games, episodeLog, elapsed);
      if (resume != null) {
        episodes.restore(resume.meta().episodes(), resume.meta().recentReturns());
      }
      this.metricsLog = metricsLog;
      List<ResilientEnv> envs;
      try {
        envs = openEnvs(endpoints);
      } catch (ResilientEnv.Stopped stopped) {
        log.info("stopped before training began");
        return resume;
      }
      actionMeanings = actionMeanings(envs);
      if (resume != null) {
        checkSameActions(resume.meta().actionMeanings());
      }
      Map<String, Integer> counts = new LinkedHashMap<>();
      actionMeanings.forEach((g, m) -> counts.put(g, m.size()));
      NetSpec spec = new NetSpec(config.arch(), config.net().lstm(), counts);
      ParameterLayout layout = new ParameterLayout(spec);
      model = resume != null
          ? new SharedModel(layout, resume.theta(), resume.meanSquare(), config.freeze())
          : SharedModel.startingFrom(layout, initialParameters(layout),
              config.a3c().rmsProp().init(), config.freeze());
      // Only now: a resume that fails earlier leaves the run's config as it was.
      AtomicFiles.writeString(runDir.resolve(RunDirectory.CONFIG), Json.PRETTY.toJson(config));
      LossMeter losses = new LossMeter(model.blockNames());
      TrunkProbe probe = new TrunkProbe(games);
      log.info("{} net ({}), {} parameters, games {}, {} threads, budget {} frames{}",
          config.net().lstm() ? "LSTM" : "feed-forward", config.arch(), layout.size(),
          config.threadsPerGame(), config.threads(), config.a3c().budget().frames(),
          resume == null ? "" : ", resuming at " + counters.frames());
      teachers = config.distillation() ? Teachers.load(config.teachers(), actionMeanings) : null;
      if (teachers != null) {
        log.info("distillation: each game learns from its teacher in {}", config.teachers());
      }
      List<Thread> threads = startThreads(layout, envs, losses, probe);
      ProgressReporter progress = new ProgressReporter(config.a3c(), counters, episodes, losses,
          () -> probe.measure(model), metricsLog, allocation::active);
      LearnerMetrics.register(metrics, games, counters, episodes, allocation::active, progress);
      ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "progress");
        t.setDaemon(true);
        return t;
      });
      RunConfig.Reporting every = config.reporting();
      timers.scheduleAtFixedRate(progress::report, every.progressSeconds(), every.progressSeconds(),
          TimeUnit.SECONDS);
      timers.scheduleAtFixedRate(this::checkpointQuietly, every.checkpointSeconds(),
          every.checkpointSeconds(), TimeUnit.SECONDS);
      if (config.adaptiveAllocation()) {
        timers.scheduleAtFixedRate(this::reallocate, 1, 1, TimeUnit.SECONDS);
      }
      for (Thread t : threads) {
        t.join();
      }
      timers.shutdownNow();
      timers.awaitTermination(10, TimeUnit.SECONDS);
      progress.report();
      envs.forEach(ResilientEnv::close);
      if (teachers != null) {
        teachers.close();
      }
      Checkpoint last;
      String saved;
      try {
        last = checkpoint();
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
  }

  /** Fresh parameters, with a transfer run's source blocks copied in. */
  private float[] initialParameters(ParameterLayout layout) throws IOException {
    float[] fresh = layout.initialParameters(config.seed());
    if (config.transfer() == null) {
      return fresh;
    }
    WarmStart.Result start = WarmStart.load(Path.of(config.transfer().from()))
        .apply(layout, fresh, actionMeanings);
    log.info("starting from {}: copied {}; new {}; frozen: {}", config.transfer().from(),
        start.copied(), start.fresh(), config.freeze().id());
    return start.theta();
  }

  private List<ResilientEnv> openEnvs(EnvEndpoints endpoints) {
    List<ResilientEnv> envs = new ArrayList<>();
    int thread = 0;
    for (String game : config.games()) {
      for (int i = 0; i < allocation.threads(game); i++, thread++) {
        EnvConfig env = config.envRequest(config.seed() * 1000 + thread + counters.updates());
        envs.add(new ResilientEnv(endpoints.forThread(thread), game, env,
            "actor-" + thread + "/" + game, counters::stopped));
      }
    }
    return envs;
  }

  /**
   * A resumed run's policy heads index its games' actions, so the env must offer the same actions
   * in the same order (another ROM revision or env service may not). Checkpoints older than action
   * sets in checkpoints ({@code saved} null) can only be checked by their counts, later.
   */
  private void checkSameActions(Map<String, List<String>> saved) {
    for (String game : saved == null ? List.<String>of() : config.games()) {
      List<String> trained = saved.get(game);
      if (trained != null && !trained.equals(actionMeanings.get(game))) {
        throw new IllegalArgumentException(game + ": the env now offers the actions "
            + actionMeanings.get(game) + ", this run was trained with " + trained
            + " (another ROM or env service version?); resume with the ROMs it was trained on");
      }
    }
  }

  private static Map<String, List<String>> actionMeanings(List<ResilientEnv> envs) {
    Map<String, List<String>> meanings = new LinkedHashMap<>();
    for (ResilientEnv env : envs) {
      meanings.putIfAbsent(env.spec().getGame(), List.copyOf(env.spec().getActionMeaningsList()));
    }
    return meanings;
  }

  private List<Thread> startThreads(ParameterLayout layout, List<ResilientEnv> envs,
      LossMeter losses, TrunkProbe probe) {
    List<Thread> threads = new ArrayList<>();
    Map<String, Integer> slots = new LinkedHashMap<>();
    try {
      addLearners(threads, slots, layout, envs, losses, probe);
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

  private void addLearners(List<Thread> threads, Map<String, Integer> slots, ParameterLayout layout,
      List<ResilientEnv> envs, LossMeter losses, TrunkProbe probe) {
    for (int i = 0; i < envs.size(); i++) {
      ResilientEnv env = envs.get(i);
      String game = env.spec().getGame();
      int slot = slots.merge(game, 1, Integer::sum) - 1;
      A3CNet local = new A3CNet(layout, game, config.a3c().rollout().tMax());
      long seed = config.seed() * 7919 + i + counters.updates();
      Runnable learner = teachers == null
          ? new ActorLearner(i, game, config.a3c(), model, env, local, counters, episodes, losses,
              probe, allocation, slot, seed)
          : new DistillLearner(new GamePlayer(env, i, layout.spec().frames(), counters, episodes),
              config.a3c(), model, local, teachers.of(game), counters, losses, allocation, slot, seed);
      Thread t = new Thread(learner, "actor-" + i + "-" + game);
      t.setUncaughtExceptionHandler((th, e) -> {
        if (e instanceof TrainingDiverged || e instanceof IllegalStateException) {
          log.error("{} failed; stopping the run: {}", th.getName(), e.getMessage());
        } else {
          log.error("{} failed; stopping the run", th.getName(), e);
        }
        failure.compareAndSet(null, e);
        counters.stop();
      });
      threads.add(t);
    }
  }

  /** Adaptive allocation: a decision every --allocation-every frames. */
  private void reallocate() {
    try {
      decideAllocation();
    } catch (RuntimeException e) {
      log.error("thread allocation failed (it stays as it is)", e);
    }
  }

  private void decideAllocation() {
    long frames = counters.frames();
    if (frames - lastDecisionFrames < config.allocation().everyFrames()) {
      return;
    }
    lastDecisionFrames = frames;
    Map<String, AllocationPolicy.GameState> states = new LinkedHashMap<>();
    for (String game : config.games()) {
      states.put(game, new AllocationPolicy.GameState(episodes.mean(game), episodes.count(game),
          counters.frames(game), config.a3c().budgetReached(counters, game)));
    }
    Map<String, Integer> before = allocation.active();
    Map<String, Integer> next = policy.next(allocation, states);
    if (!next.equals(before)) {
      allocation.set(next);
      log.info("threads per game: {} (score progress per M frames: {})", next, policy.lastProgress());
    }
  }

  private void checkpointQuietly() {
    try {
      checkpoint();
    } catch (TrainingDiverged e) {
      log.error(e.getMessage());
      failure.compareAndSet(null, e);
      counters.stop();
    } catch (IOException | RuntimeException e) {
      log.error("checkpoint failed (training goes on)", e);
    }
  }

  private synchronized Checkpoint checkpoint() throws IOException {
    float[] theta = model.thetaSnapshot();
    if (!allFinite(theta)) {
      throw new TrainingDiverged("the parameters are no longer finite: keeping the last good checkpoint");
    }
    EpisodeStats.Snapshot done = episodes.snapshot();
    Map<String, Long> logBytes = new LinkedHashMap<>();
    logBytes.put(RunDirectory.EPISODES, done.logBytes());
    logBytes.put(RunDirectory.METRICS, metricsLog.size());
    Checkpoint c = new Checkpoint(new Checkpoint.Meta(config, counters.frames(), counters.updates(),
        episodes.elapsedSeconds(), done.counts(), done.recentReturns(), actionMeanings,
        Instant.now().toString(), logBytes, counters.framesPerGame(config.games()),
        config.adaptiveAllocation() ? new Checkpoint.Allocation(allocation.active(),
            lastDecisionFrames, policy.memory()) : null), theta,
        model.meanSquareSnapshot());
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
