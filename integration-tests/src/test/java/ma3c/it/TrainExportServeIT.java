package ma3c.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import ma3c.learner.run.Checkpoint;
import ma3c.policy.v1.ModelInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The whole path through the images: train against the env container, export, serve, act. */
@Testcontainers(disabledWithoutDocker = true)
class TrainExportServeIT {
  private static final long FRAMES = 4000;

  @TempDir
  Path runs;

  /** Runs the learner image with {@code command} to completion; fails on a non-zero exit. */
  static void runToCompletion(Network network, Path runs, String... command) {
    try (GenericContainer<?> learner = Ma3cContainers.learner(network, runs, command)
        .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(5)))) {
      learner.start();
    }
  }

  @Test
  void trainsThenExportsThenThePolicyServerAnswers() throws Exception {
    Images.build();
    Checkpoint checkpoint;
    try (Network network = Network.newNetwork(); GenericContainer<?> env = Ma3cContainers.env(network)) {
      env.start();
      runToCompletion(network, runs, "train", "--env", "env:50051", "--games", "pong",
          "--arch", "a3c", "--threads", "2", "--frames", String.valueOf(FRAMES),
          "--run-dir", "/runs/it", "--progress-every", "5");
      checkpoint = Checkpoint.load(runs.resolve("it").resolve(Checkpoint.FILE));
      assertTrue(checkpoint.meta().frames() >= FRAMES, "trained to the budget: " + checkpoint.meta().frames());
      assertTrue(checkpoint.meta().updates() >= FRAMES / 4 / 5 / 2, "updates: " + checkpoint.meta().updates());
      assertTrue(Files.exists(runs.resolve("it/episodes.jsonl")));
      assertTrue(Files.readAllLines(runs.resolve("it/metrics.jsonl")).size() >= 1);

      runToCompletion(network, runs, "export", "--run", "/runs/it", "--out", "/runs/it/exported");
    }
    Path exported = runs.resolve("it/exported");
    assertEquals(List.of("pong.onnx"), Files.list(exported).map(p -> p.getFileName().toString()).toList());

    try (GenericContainer<?> policy = Ma3cContainers.policy(exported)) {
      policy.start();
      try (PolicyClient client = new PolicyClient(policy.getHost(),
          policy.getMappedPort(Ma3cContainers.POLICY_PORT))) {
        List<ModelInfo> models = client.models();
        assertEquals(1, models.size(), models.toString());
        ModelInfo pong = models.get(0);
        assertEquals("pong", pong.getGame());
        assertEquals(6, pong.getActionMeaningsCount());
        assertEquals(checkpoint.meta().frames(), pong.getFramesTrained());
        client.actOnBlankScreen(pong);
      }
    }
  }
}
