package ma3c.learner;

import ma3c.model.Architecture;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import ma3c.learner.train.Trainer;
import ma3c.env.EnvServer;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.RunConfig;
import ma3c.learner.run.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole training runs on the built-in catch game, which needs no ROMs. */
class TrainingTest {
  private static RunConfig catchRun(long frames, List<String> env) {
    LinkedHashMap<String, Integer> games = new LinkedHashMap<>();
    games.put("catch", 2);
    return new RunConfig(new RunConfig.Net(Architecture.A3C, false), games, A3CConfig.defaults(false, frames),
        new RunConfig.Env(env, "roms", 0f, 0, false), 3, new RunConfig.Reporting(3600, 5), null, null, null);
  }

  /** Runs the trainer on a thread of its own; the run directory is closed when it ends. */
  private static Thread inBackground(Trainer trainer, RunDirectory runDir) {
    Thread run = new Thread(() -> {
      try (runDir) {
        trainer.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    run.start();
    return run;
  }

  private static Checkpoint train(RunConfig config, Path dir, Checkpoint from) throws Exception {
    try (RunDirectory run = RunDirectory.lock(dir)) {
      return new Trainer(config, run, from).run();
    }
  }

  /**
   * Learning that can fail: a random policy scores about -0.5 on catch (it catches ~1 ball in 4);
   * after 300k frames the mean of the last 100 episodes must be clearly positive.
   */
  @Test
  void a3cLearnsToCatch(@TempDir Path dir) throws Exception {
    Checkpoint done = train(catchRun(300_000, List.of()), dir, null);
    List<Double> last = done.meta().recentReturns().get("catch");
    double mean = last.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    assertEquals(100, last.size());
    assertTrue(mean > 0.3, "mean return of the last 100 episodes " + mean + " (random: about -0.5)");
    assertTrue(Files.size(dir.resolve("episodes.jsonl")) > 0);
    assertTrue(Files.readString(dir.resolve("metrics.jsonl")).contains("\"fps\""));
  }

  /**
   * The paper's recurrent net learns too (the unit tests of the LSTM's glue are in
   * ActorLearnerTest). At a learning rate of 3e-3 (catch is simple; Atari's 3e-4 would take
   * minutes), the mean of the last 100 episodes after 300k frames must be clearly positive. A
   * budget of 120k (12 of 12 runs at 0.70-1.00 on 2026-12-06) failed CI at 0.12 once: the
   * learning rate anneals to zero over the budget, and a run that takes off late has too little
   * of it left. At 300k, 30 of 30 runs scored 0.90 to 1.00 and every one had passed 0.3 over its
   * last 100 episodes by 92k frames (2026-12-07, about 17 s each).
   */
  @Test
  void anLstmNetLearnsToCatch(@TempDir Path dir) throws Exception {
    A3CConfig defaults = A3CConfig.defaults(true, 300_000);
    A3CConfig a3c = new A3CConfig(defaults.rollout(), defaults.loss(), new A3CConfig.RmsProp(3e-3,
        A3CConfig.DEFAULT_RMS_ALPHA, A3CConfig.DEFAULT_RMS_EPSILON, A3CConfig.DEFAULT_RMS_INIT),
        defaults.budget());
    RunConfig ff = catchRun(300_000, List.of());
    RunConfig lstm = new RunConfig(new RunConfig.Net(Architecture.A3C, true), ff.threadsPerGame(), a3c,
        ff.env(), ff.seed(), ff.reporting(), null, null, null);
    Checkpoint done = train(lstm, dir, null);
    double mean = done.meta().recentReturns().get("catch").stream().mapToDouble(Double::doubleValue)
        .average().orElseThrow();
    assertTrue(mean > 0.3, "mean return of the last 100 episodes " + mean + " (random: about -0.5)");
  }

  @Test
  void resumeContinuesFromTheCheckpoint(@TempDir Path dir) throws Exception {
    Checkpoint first = train(catchRun(20_000, List.of()), dir, null);
    assertTrue(first.meta().frames() >= 20_000);
    Checkpoint loaded = Checkpoint.load(dir.resolve(Checkpoint.FILE));
    RunConfig c = loaded.meta().config();
    Checkpoint extended = loaded.withConfig(c.resumedWith(new A3CConfig.Budget(40_000, 0),
        c.env().endpoints(), c.env().romDir(), c.env().security(), c.reporting()));
    assertEquals(first.meta().frames(), extended.meta().frames());
    Checkpoint second = train(extended.meta().config(), dir, extended);
    assertTrue(second.meta().frames() >= 40_000, "continued to the new budget");
    assertTrue(second.meta().updates() > first.meta().updates(), "updates counted on");
    assertTrue(second.meta().episodes().get("catch") > first.meta().episodes().get("catch"));
  }

  /**
   * A resume starts from exactly the saved parameters and RMSProp statistics: resumed with a
   * budget it has already met, a run trains nothing and saves what it loaded, bit for bit.
   */
  @Test
  void resumeStartsFromTheSavedParametersAndRmsPropStateBitForBit(@TempDir Path dir)
      throws Exception {
    Checkpoint first = train(catchRun(10_000, List.of()), dir, null);
    Checkpoint loaded = Checkpoint.load(dir.resolve(Checkpoint.FILE));
    assertArrayEquals(bits(first.theta()), bits(loaded.theta()), "parameters through the file");
    assertArrayEquals(bits(first.meanSquare()), bits(loaded.meanSquare()), "RMSProp through the file");
    Checkpoint again = train(loaded.meta().config(), dir, loaded);
    assertEquals(loaded.meta().updates(), again.meta().updates(), "no update after the budget");
    assertArrayEquals(bits(loaded.theta()), bits(again.theta()), "parameters after the resume");
    assertArrayEquals(bits(loaded.meanSquare()), bits(again.meanSquare()), "RMSProp after the resume");
    assertTrue(java.util.stream.IntStream.range(0, loaded.meanSquare().length)
        .anyMatch(i -> loaded.meanSquare()[i] != loaded.meta().config().a3c().rmsProp().init()),
        "the statistics compared are trained ones, not the initial value");
  }

  private static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }

  /** A diverged run stops with a message and keeps its last good checkpoint, never a NaN one. */
  @Test
  void nonFiniteParametersStopTheRunAndAreNeverSaved(@TempDir Path dir) throws Exception {
    train(catchRun(2_000, List.of()), dir, null);
    Checkpoint good = Checkpoint.load(dir.resolve(Checkpoint.FILE));
    float[] theta = good.theta().clone();
    theta[0] = Float.NaN;
    RunConfig c = good.meta().config();
    RunConfig longer = c.resumedWith(new A3CConfig.Budget(20_000, 0), c.env().endpoints(),
        c.env().romDir(), c.env().security(), c.reporting());
    Checkpoint poisoned = new Checkpoint(good.meta(), theta, good.meanSquare()).withConfig(longer);
    byte[] before = java.nio.file.Files.readAllBytes(dir.resolve(Checkpoint.FILE));
    RunDirectory run = RunDirectory.lock(dir);
    Trainer trainer = new Trainer(longer, run, poisoned);
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, trainer::run);
    run.close();
    assertTrue(e.getMessage().contains("gradient is not finite"), e.getMessage());
    assertTrue(trainer.counters().frames() < 3_000, "stopped at once: " + trainer.counters().frames());
    org.junit.jupiter.api.Assertions.assertArrayEquals(before,
        java.nio.file.Files.readAllBytes(dir.resolve(Checkpoint.FILE)), "the good checkpoint stays");
  }

  /** The env service restarts under a training run: threads reconnect and the run completes. */
  @Test
  void trainingSurvivesAnEnvServiceRestart(@TempDir Path dir) throws Exception {
    EnvServer server = EnvServer.tcp(0, EnvServer.Options.defaults(dir.resolve("no-roms"))).start();
    int port = server.port();
    RunDirectory runDir = RunDirectory.lock(dir);
    Trainer trainer = new Trainer(catchRun(60_000, List.of("127.0.0.1:" + port)), runDir, null);
    Thread run = inBackground(trainer, runDir);
    await().atMost(Duration.ofMinutes(2)).until(() -> trainer.counters().frames() > 10_000);
    server.stop(Duration.ofSeconds(5));
    long atStop = trainer.counters().frames();
    Thread.sleep(1500);
    EnvServer restarted = EnvServer.tcp(port, EnvServer.Options.defaults(dir.resolve("no-roms"))).start();
    try {
      await().atMost(Duration.ofMinutes(2)).until(() -> trainer.counters().frames() > atStop + 10_000);
      run.join(120_000);
      assertTrue(!run.isAlive(), "the run finished after the restart");
      Checkpoint last = Checkpoint.load(dir.resolve(Checkpoint.FILE));
      assertTrue(last.meta().frames() >= 60_000, "frames " + last.meta().frames());
    } finally {
      trainer.stop();
      restarted.stop(Duration.ofSeconds(5));
    }
  }

  /** Ctrl-C while the env service is down: the checkpoint lands within seconds. */
  @Test
  void aStopWhileTheEnvServiceIsDownCheckpointsWithinSeconds(@TempDir Path dir) throws Exception {
    EnvServer server = EnvServer.tcp(0, EnvServer.Options.defaults(dir.resolve("no-roms"))).start();
    RunDirectory runDir = RunDirectory.lock(dir.resolve("run"));
    Trainer trainer = new Trainer(catchRun(10_000_000, List.of("127.0.0.1:" + server.port())), runDir, null);
    Thread run = inBackground(trainer, runDir);
    await().atMost(Duration.ofMinutes(2)).until(() -> trainer.counters().frames() > 5_000);
    server.stop(Duration.ofSeconds(5));
    Thread.sleep(2_000);
    long stop = System.nanoTime();
    trainer.stop();
    // Seconds at most (a backoff of up to ~6 s, the rollouts in flight, a checkpoint); the bound
    // is one a busy machine keeps, while a run that waits for the env service never ends.
    run.join(120_000);
    double seconds = (System.nanoTime() - stop) / 1e9;
    assertTrue(!run.isAlive() && seconds < 60, "stopped after " + seconds + " s");
    Checkpoint last = Checkpoint.load(dir.resolve("run").resolve(Checkpoint.FILE));
    assertTrue(last.meta().frames() > 5_000, "frames " + last.meta().frames());
  }
}
