package ma3c.learner.evaluate;

import ma3c.model.Architecture;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ma3c.env.session.CatchEnv;
import ma3c.learner.train.Training;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.RunConfig;
import ma3c.learner.run.RunDirectory;

/** Run directories of the built-in catch game (no ROMs needed) for the evaluation tests. */
final class CatchRuns {
  /** Higher than Atari's default 3e-4: catch is simple, and a test has seconds, not hours, to learn it. */
  static final double LEARNING_RATE = 3e-3;

  private CatchRuns() {}

  static RunConfig config(long frames, boolean lstm, double learningRate) {
    LinkedHashMap<String, Integer> games = new LinkedHashMap<>();
    games.put(CatchEnv.NAME, 2);
    A3CConfig defaults = A3CConfig.defaults(lstm, frames);
    A3CConfig a3c = new A3CConfig(defaults.rollout(), defaults.loss(), new A3CConfig.RmsProp(
        learningRate, A3CConfig.DEFAULT_RMS_ALPHA, A3CConfig.DEFAULT_RMS_EPSILON,
        A3CConfig.DEFAULT_RMS_INIT), defaults.budget());
    return new RunConfig(new RunConfig.Net(Architecture.A3C, lstm), games, a3c,
        new RunConfig.Env(List.of(), "roms", 0f, 0, false), 3, new RunConfig.Reporting(3600, 60),
        null, null, null);
  }

  /** A3C trained on catch for {@code frames} frames in {@code dir}; returns its checkpoint. */
  static Checkpoint trained(Path dir, long frames) throws Exception {
    return Training.in(dir).start(config(frames, false, LEARNING_RATE));
  }

  /**
   * A run whose checkpoint holds a uniformly random policy: every parameter 0, so every action's
   * logit is 0 whatever the frames show.
   */
  static Checkpoint uniform(Path dir, boolean lstm) throws Exception {
    RunConfig config = config(1_000, lstm, LEARNING_RATE);
    Checkpoint.Meta meta = new Checkpoint.Meta(config, 1_000, 0, 0, Map.of(), Map.of(),
        Map.of(CatchEnv.NAME, CatchEnv.ACTIONS), Instant.now().toString(), null, null, null);
    int size = meta.layout().size();
    Checkpoint checkpoint = new Checkpoint(meta, new float[size], new float[size]);
    checkpoint.save(java.nio.file.Files.createDirectories(dir).resolve(Checkpoint.FILE));
    return checkpoint;
  }
}
