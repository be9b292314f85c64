package ma3c.it;

import ma3c.model.Architecture;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import ma3c.learner.run.Checkpoint;
import ma3c.policy.v1.ModelInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * docker-compose.yml as a user runs it: `docker compose up` with two env replicas trains the
 * default MA3C-2 Pong+Breakout run (shortened) into the mounted runs directory, the learner's
 * sessions spread over both replicas, a replica whose JVM is killed is brought back by its
 * restart policy while training goes on, and the serve profile then serves the run's export.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeIT {
  private static final String PROJECT = "ma3c-it-compose";
  private static final String RUN = "ma3c-2-pong+breakout";
  private static final long FRAMES = 20_000;
  private static final Pattern SESSION_ON_REPLICA = Pattern.compile("(env-\\d+)\\s+\\|.*session opened");

  @TempDir
  Path runs;

  @Test
  void composeUpTrainsTheDefaultRunThroughAnEnvCrashAndTheServeProfileServesIt() throws Exception {
    Images.build();
    DockerClient docker = DockerClientFactory.instance().client();
    int policyPort;
    int dashboardPort;
    try (ServerSocket free = new ServerSocket(0); ServerSocket free2 = new ServerSocket(0)) {
      policyPort = free.getLocalPort();
      dashboardPort = free2.getLocalPort();
    }
    Compose compose = new Compose(PROJECT, Map.of(
        "MA3C_TAG", Images.TAG,
        "ALE_ROM_DIR", Images.roms().toString(),
        "MA3C_RUNS", runs.toString(),
        "MA3C_FRAMES", String.valueOf(FRAMES),
        "MA3C_TRAIN_ARGS", "--threads 4 --progress-every 3",
        "MA3C_ENV_PORTS", "",
        "MA3C_POLICY_PORT", String.valueOf(policyPort),
        "MA3C_DASHBOARD_PORT", String.valueOf(dashboardPort)));
    try {
      // Detached, as `--abort-on-container-exit` would end the run when an env replica dies.
      compose.runOk(300, "up", "--detach", "--scale", "env=2");
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
          .until(() -> logs(compose, "learner").contains("progress - frames"));

      // A crash, as the kernel's OOM killer would do it: SIGKILL to env-1's JVM.
      InspectContainerResponse env1 = docker.inspectContainerCmd(PROJECT + "-env-1").exec();
      Process kill = new ProcessBuilder("kill", "-9", String.valueOf(env1.getState().getPidLong()))
          .inheritIO().start();
      assertEquals(0, kill.waitFor());

      compose.run(600, "wait", "learner");
      InspectContainerResponse learner = docker.inspectContainerCmd(PROJECT + "-learner-1").exec();
      assertEquals(0L, learner.getState().getExitCodeLong(), Compose.tail(logs(compose, "learner")));
      InspectContainerResponse env1After = docker.inspectContainerCmd(PROJECT + "-env-1").exec();
      assertTrue(env1After.getRestartCount() >= 1, "the restart policy brought env-1 back");
      assertTrue(env1After.getState().getRunning());
      assertTrue(logs(compose, "learner").contains("reconnecting"), "sessions on env-1 reconnected");

      Path run = runs.resolve(RUN);
      Checkpoint checkpoint = Checkpoint.load(run.resolve(Checkpoint.FILE));
      assertEquals(Architecture.MA3C_2, checkpoint.meta().config().net().architecture());
      assertEquals(List.of("pong", "breakout"), checkpoint.meta().config().games());
      assertTrue(checkpoint.meta().frames() >= FRAMES, "frames " + checkpoint.meta().frames());
      assertTrue(Files.isRegularFile(run.resolve("export/pong.onnx")));
      assertTrue(Files.isRegularFile(run.resolve("export/breakout.onnx")));

      String envLogs = logs(compose, "env");
      Set<String> replicas = SESSION_ON_REPLICA.matcher(envLogs).results()
          .map(m -> m.group(1)).collect(Collectors.toSet());
      assertEquals(Set.of("env-1", "env-2"), replicas, "sessions on both replicas:\n" + Compose.tail(envLogs));

      // The dashboard service (same `up`) lists the finished run from the shared runs directory.
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest runsRequest = HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + dashboardPort + "/api/runs")).build();
      await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
          .until(() -> {
            String body = http.send(runsRequest, HttpResponse.BodyHandlers.ofString()).body();
            return body.contains("\"" + RUN + "\"") && body.contains("\"finished\"");
          });

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

  private static String logs(Compose compose, String service) {
    try {
      return compose.runOk(60, "logs", "--no-color", service);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
