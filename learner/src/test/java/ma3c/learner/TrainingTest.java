package ma3c.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import ma3c.env.EnvServer;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole training runs on the built-in catch game, which needs no ROMs. */
class TrainingTest {
  private static RunConfig catchRun(long frames, List<String> env) {
    LinkedHashMap<String, Integer> games = new LinkedHashMap<>();
    games.put("catch", 2);
    return new RunConfig("a3c", false, games, A3CConfig.defaults(false, frames), env,
        "roms", 0f, 0, false, 3, 3600, 5);
  }

  /**
   * Learning that can fail: a random policy scores about -0.5 on catch (it catches ~1 ball in 4);
   * after 300k frames the mean of the last 100 episodes must be clearly positive.
   */
  @Test
  void a3cLearnsToCatch(@TempDir Path dir) throws Exception {
    Checkpoint done = new Trainer(catchRun(300_000, List.of()), dir, null).run();
    List<Double> last = done.meta().recentReturns().get("catch");
    double mean = last.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    assertEquals(100, last.size());
    assertTrue(mean > 0.3, "mean return of the last 100 episodes " + mean + " (random: about -0.5)");
    assertTrue(Files.size(dir.resolve("episodes.jsonl")) > 0);
    assertTrue(Files.readString(dir.resolve("metrics.jsonl")).contains("\"fps\""));
  }

  @Test
  void resumeContinuesFromTheCheckpoint(@TempDir Path dir) throws Exception {
    Checkpoint first = new Trainer(catchRun(20_000, List.of()), dir, null).run();
    assertTrue(first.meta().frames() >= 20_000);
    Checkpoint extended = Checkpoint.load(dir.resolve(Checkpoint.FILE)).withFrameBudget(40_000);
    assertEquals(first.meta().frames(), extended.meta().frames());
    Checkpoint second = new Trainer(extended.meta().config(), dir, extended).run();
    assertTrue(second.meta().frames() >= 40_000, "continued to the new budget");
    assertTrue(second.meta().updates() > first.meta().updates(), "updates counted on");
    assertTrue(second.meta().episodes().get("catch") > first.meta().episodes().get("catch"));
  }

  /** The env service restarts under a training run: threads reconnect and the run completes. */
  @Test
  void trainingSurvivesAnEnvServiceRestart(@TempDir Path dir) throws Exception {
    EnvServer server = EnvServer.tcp(0, EnvServer.Options.defaults(dir.resolve("no-roms"))).start();
    int port = server.port();
    Trainer trainer = new Trainer(catchRun(60_000, List.of("127.0.0.1:" + port)), dir, null);
    Thread run = new Thread(() -> {
      try {
        trainer.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    run.start();
    waitFor(() -> trainer.counters().frames() > 10_000);
    server.stop(Duration.ofSeconds(5));
    long atStop = trainer.counters().frames();
    Thread.sleep(1500);
    EnvServer restarted = EnvServer.tcp(port, EnvServer.Options.defaults(dir.resolve("no-roms"))).start();
    try {
      waitFor(() -> trainer.counters().frames() > atStop + 10_000);
      run.join(120_000);
      assertTrue(!run.isAlive(), "the run finished after the restart");
      Checkpoint last = Checkpoint.load(dir.resolve(Checkpoint.FILE));
      assertTrue(last.meta().frames() >= 60_000, "frames " + last.meta().frames());
    } finally {
      trainer.stop();
      restarted.stop(Duration.ofSeconds(5));
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 2 minutes");
      }
      Thread.sleep(50);
    }
  }
}
