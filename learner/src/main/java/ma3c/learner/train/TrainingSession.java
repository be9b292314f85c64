package ma3c.learner.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ma3c.cli.ProjectVersion;
import ma3c.env.v1.EnvConfig;
import ma3c.learner.algo.SharedModel;
import ma3c.learner.algo.TrainingCounters;
import ma3c.learner.allocation.ThreadAllocation;
import ma3c.learner.distill.Teachers;
import ma3c.learner.env.EnvEndpoints;
import ma3c.learner.env.ResilientEnv;
import ma3c.learner.run.AtomicFiles;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.EpisodeStats;
import ma3c.learner.run.Json;
import ma3c.learner.run.JsonLines;
import ma3c.learner.run.Provenance;
import ma3c.learner.run.RunConfig;
import ma3c.learner.run.RunDirectory;
import ma3c.learner.transfer.WarmStart;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a training run sets up before its threads start, fixed from then on: the logs, an env
 * session per actor-learner thread, the games' action sets, the episode statistics, the shared
 * model (fresh, resumed or warm-started) and a distillation run's teachers. Closing it closes the
 * env sessions, the teachers and the logs.
 */
final class TrainingSession implements AutoCloseable {
  // The run's lines, under the name they have always had.
  private static final Logger log = LoggerFactory.getLogger(Trainer.class);

  private final JsonLines metricsLog;
  private final EpisodeStats episodes;
  private final List<ResilientEnv> envs;
  private final Map<String, List<String>> actionMeanings;
  private final SharedModel model;
  private final Teachers teachers;
  /** Closed last first. */
  private final Deque<AutoCloseable> resources;

  private TrainingSession(JsonLines metricsLog, EpisodeStats episodes, List<ResilientEnv> envs,
      Map<String, List<String>> actionMeanings, SharedModel model, Teachers teachers,
      Deque<AutoCloseable> resources) {
    this.metricsLog = metricsLog;
    this.episodes = episodes;
    this.envs = envs;
    this.actionMeanings = actionMeanings;
    this.model = model;
    this.teachers = teachers;
    this.resources = resources;
  }

  /**
   * Sets up a run: a new one from scratch (or a transfer's source), a resumed one from
   * {@code resume}, its logs rewound to it.
   *
   * @throws ResilientEnv.Stopped when the run was stopped while the env service was unreachable
   */
  static TrainingSession open(RunConfig config, RunDirectory runDir, Checkpoint resume,
      TrainingCounters counters, ThreadAllocation allocation, int envConnections, String trainedBy)
      throws Exception {
    if (resume == null) {
      runDir.clearLogs();
    } else {
      runDir.rewindLogs(resume.meta());
    }
    Deque<AutoCloseable> resources = new ArrayDeque<>();
    try {
      JsonLines episodeLog = opened(resources, new JsonLines(runDir.resolve(RunDirectory.EPISODES)));
      JsonLines metricsLog = opened(resources, new JsonLines(runDir.resolve(RunDirectory.METRICS)));
      EnvEndpoints endpoints = opened(resources, config.env().endpoints().isEmpty()
          ? EnvEndpoints.embedded(Path.of(config.env().romDir()),
              config.games().stream().mapToInt(allocation::threads).sum())
          : EnvEndpoints.remote(config.env().endpoints(), config.env().clientSecurity(),
              envConnections));
      EpisodeStats episodes = new EpisodeStats(config.games(), episodeLog,
          resume == null ? 0 : resume.meta().elapsedSeconds());
      if (resume != null) {
        episodes.restore(resume.meta().episodes(), resume.meta().recentReturns());
      }
      List<ResilientEnv> envs = openEnvs(config, endpoints, counters, allocation, resources);
      Map<String, List<String>> actionMeanings = actionMeanings(envs);
      if (resume != null) {
        checkSameActions(config, resume.meta().actionMeanings(), actionMeanings);
      }
      SharedModel model = model(config, resume, actionMeanings, counters);
      // Only now: a resume that fails earlier leaves the run's config as it was.
      AtomicFiles.writeString(runDir.resolve(RunDirectory.CONFIG), Json.PRETTY.toJson(config));
      // Which build (and experiment) trained the run; before any episode, so a report written
      // while it trains names them.
      Path dir = runDir.path().toAbsolutePath().normalize();
      Provenance.record(dir, String.valueOf(dir.getFileName()), trainedBy, ProjectVersion.build());
      Teachers teachers = config.distillation()
          ? opened(resources, Teachers.load(config.teachers(), actionMeanings)) : null;
      if (teachers != null) {
        log.info("distillation: each game learns from its teacher in {}", config.teachers());
      }
      return new TrainingSession(metricsLog, episodes, List.copyOf(envs), Collections.unmodifiableMap(actionMeanings),
          model, teachers, resources);
    } catch (Exception | Error e) {
      Exception closing = closeAll(resources);
      if (closing != null) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  JsonLines metricsLog() {
    return metricsLog;
  }

  EpisodeStats episodes() {
    return episodes;
  }

  /** One per actor-learner thread, each game's in a row. */
  List<ResilientEnv> envs() {
    return envs;
  }

  Map<String, List<String>> actionMeanings() {
    return actionMeanings;
  }

  SharedModel model() {
    return model;
  }

  /** A distillation run's teachers; null for A3C. */
  Teachers teachers() {
    return teachers;
  }

  @Override
  public void close() throws Exception {
    Exception failed = closeAll(resources);
    if (failed != null) {
      throw failed;
    }
  }

  private static <T extends AutoCloseable> T opened(Deque<AutoCloseable> resources, T resource) {
    resources.push(resource);
    return resource;
  }

  /** Closes every resource, last opened first; the first failure, with the later ones suppressed. */
  private static Exception closeAll(Deque<AutoCloseable> resources) {
    Exception failed = null;
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    return failed;
  }

  private static List<ResilientEnv> openEnvs(RunConfig config, EnvEndpoints endpoints,
      TrainingCounters counters, ThreadAllocation allocation, Deque<AutoCloseable> resources) {
    List<ResilientEnv> envs = new ArrayList<>();
    int thread = 0;
    for (String game : config.games()) {
      for (int i = 0; i < allocation.threads(game); i++, thread++) {
        EnvConfig env = config.envRequest(config.seed() * 1000 + thread + counters.updates());
        envs.add(opened(resources, new ResilientEnv(endpoints.forThread(thread), game, env,
            "actor-" + thread + "/" + game, counters::stopped)));
      }
    }
    return envs;
  }

  private static Map<String, List<String>> actionMeanings(List<ResilientEnv> envs) {
    Map<String, List<String>> meanings = new LinkedHashMap<>();
    for (ResilientEnv env : envs) {
      meanings.putIfAbsent(env.spec().getGame(), List.copyOf(env.spec().getActionMeaningsList()));
    }
    return meanings;
  }

  /**
   * A resumed run's policy heads index its games' actions, so the env must offer the same actions
   * in the same order (another ROM revision or env service may not). Checkpoints older than action
   * sets in checkpoints ({@code saved} null) can only be checked by their counts, later.
   */
  private static void checkSameActions(RunConfig config, Map<String, List<String>> saved,
      Map<String, List<String>> offered) {
    for (String game : saved == null ? List.<String>of() : config.games()) {
      List<String> trained = saved.get(game);
      if (trained != null && !trained.equals(offered.get(game))) {
        throw new IllegalArgumentException(game + ": the env now offers the actions "
            + offered.get(game) + ", this run was trained with " + trained
            + " (another ROM or env service version?); resume with the ROMs it was trained on");
      }
    }
  }

  /** The shared model: the checkpoint's, or fresh (with a transfer run's source blocks copied in). */
  private static SharedModel model(RunConfig config, Checkpoint resume,
      Map<String, List<String>> actionMeanings, TrainingCounters counters) throws IOException {
    Map<String, Integer> counts = new LinkedHashMap<>();
    actionMeanings.forEach((g, m) -> counts.put(g, m.size()));
    ParameterLayout layout = new ParameterLayout(
        new NetSpec(config.arch(), config.net().lstm(), counts));
    SharedModel model = resume != null
        ? new SharedModel(layout, resume.theta(), resume.meanSquare(), config.freeze())
        : SharedModel.startingFrom(layout, initialParameters(config, layout, actionMeanings),
            config.a3c().rmsProp().init(), config.freeze());
    log.info("{} net ({}), {} parameters, games {}, {} threads, budget {} frames{}",
        config.net().lstm() ? "LSTM" : "feed-forward", config.arch(), layout.size(),
        config.threadsPerGame(), config.threads(), config.a3c().budget().frames(),
        resume == null ? "" : ", resuming at " + counters.frames());
    return model;
  }

  /** Fresh parameters, with a transfer run's source blocks copied in. */
  private static float[] initialParameters(RunConfig config, ParameterLayout layout,
      Map<String, List<String>> actionMeanings) throws IOException {
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
}
