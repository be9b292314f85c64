package ma3c.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import ma3c.learner.run.Checkpoint;
import ma3c.policy.v1.ModelInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * docker-compose.yml as a user runs it: `docker compose up` with two env replicas trains the
 * default MA3C-2 Pong+Breakout run (shortened) into the mounted runs directory, the learner's
 * sessions spread over both replicas, and the serve profile then serves the run's export.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeIT {
  private static final String RUN = "ma3c-2-pong+breakout";
  private static final Pattern SESSION_ON_REPLICA = Pattern.compile("(env-\\d+)\\s+\\|.*session opened");

  @TempDir
  Path runs;

  @Test
  void composeUpTrainsTheDefaultRunAndTheServeProfileServesIt() throws Exception {
    Images.build();
    int policyPort;
    try (ServerSocket free = new ServerSocket(0)) {
      policyPort = free.getLocalPort();
    }
    Compose compose = new Compose("ma3c-it-compose", Map.of(
        "MA3C_TAG", Images.TAG,
        "ALE_ROM_DIR", Images.roms().toString(),
        "MA3C_RUNS", runs.toString(),
        "MA3C_FRAMES", "6000",
        "MA3C_TRAIN_ARGS", "--threads 4 --progress-every 5",
        "MA3C_ENV_PORTS", "",
        "MA3C_POLICY_PORT", String.valueOf(policyPort)));
    try {
      String up = compose.runOk(600, "up", "--scale", "env=2",
          "--abort-on-container-exit", "--exit-code-from", "learner");

      Path run = runs.resolve(RUN);
      Checkpoint checkpoint = Checkpoint.load(run.resolve(Checkpoint.FILE));
      assertEquals("ma3c-2", checkpoint.meta().config().architecture());
      assertEquals(List.of("pong", "breakout"), checkpoint.meta().config().games());
      assertTrue(checkpoint.meta().frames() >= 6000, "frames " + checkpoint.meta().frames());
      assertTrue(Files.isRegularFile(run.resolve("export/pong.onnx")));
      assertTrue(Files.isRegularFile(run.resolve("export/breakout.onnx")));

      Set<String> replicas = SESSION_ON_REPLICA.matcher(up).results()
          .map(m -> m.group(1)).collect(Collectors.toSet());
      assertEquals(Set.of("env-1", "env-2"), replicas, "sessions on both replicas:\n" + Compose.tail(up));

      compose.runOk(180, "--profile", "serve", "up", "--detach", "--wait", "policy");
      try (PolicyClient client = new PolicyClient("127.0.0.1", policyPort)) {
        List<ModelInfo> models = client.models();
        assertEquals(Set.of("pong", "breakout"),
            models.stream().map(ModelInfo::getGame).collect(Collectors.toSet()));
        for (ModelInfo model : models) {
          client.actOnBlankScreen(model);
        }
      }
    } finally {
      compose.run(180, "--profile", "serve", "down", "--remove-orphans");
    }
  }
}
