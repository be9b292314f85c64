package ma3c.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import ma3c.learner.run.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * deploy/swarm/stack.yml as a user deploys it on a single-node swarm: two env replicas and the
 * learner; one env task is killed mid-run, the learner keeps training (its checkpoint advances)
 * and finishes the run, and the swarm brings the replica back.
 */
@Testcontainers(disabledWithoutDocker = true)
class SwarmIT {
  private static final String STACK = "ma3c-it-swarm";
  private static final String RUN = "ma3c-2-pong+breakout";
  private static final long FRAMES = 60_000;

  @TempDir
  Path runs;

  private static Compose.Result docker(Map<String, String> env, long timeoutSeconds, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Path log = Files.createTempFile("swarm-", ".log");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(Compose.ROOT.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(env);
      Process p = builder.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " still running after " + timeoutSeconds + " s");
      }
      return new Compose.Result(p.exitValue(), Files.readString(log));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static String ok(Compose.Result r, String what) {
    assertEquals(0, r.exitCode(), what + ":\n" + Compose.tail(r.output()));
    return r.output();
  }

  private static long checkpointFrames(Path file) {
    try {
      return Files.exists(file) ? Checkpoint.load(file).meta().frames() : -1;
    } catch (IOException torn) {
      return -1; // being replaced: look again
    }
  }

  @Test
  void aStackTrainsThroughTheLossOfAnEnvReplica() throws Exception {
    Images.build();
    Map<String, String> none = Map.of();
    boolean joined = ok(docker(none, 30, "info", "--format", "{{.Swarm.LocalNodeState}}"), "docker info")
        .strip().equals("inactive");
    if (joined) {
      ok(docker(none, 60, "swarm", "init", "--advertise-addr", "127.0.0.1"), "docker swarm init");
    }
    int policyPort;
    try (ServerSocket free = new ServerSocket(0)) {
      policyPort = free.getLocalPort();
    }
    Map<String, String> env = Map.of("MA3C_TAG", Images.TAG, "ALE_ROM_DIR", Images.roms().toString(),
        "MA3C_RUNS", runs.toString(), "MA3C_FRAMES", String.valueOf(FRAMES),
        "MA3C_TRAIN_ARGS", "--threads 4 --progress-every 3 --checkpoint-every 5",
        "MA3C_POLICY_PORT", String.valueOf(policyPort));
    try {
      ok(docker(env, 120, "stack", "deploy", "-c",
          Compose.ROOT.resolve("deploy/swarm/stack.yml").toString(), STACK), "docker stack deploy");
      Path checkpoint = runs.resolve(RUN).resolve(Checkpoint.FILE);
      await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
          .until(() -> checkpointFrames(checkpoint) > 0);
      long before = checkpointFrames(checkpoint);
      assertTrue(before < FRAMES, "the run is still going: " + before);

      String tasks = ok(docker(none, 30, "ps", "-q", "--filter",
          "label=com.docker.swarm.service.name=" + STACK + "_env"), "docker ps");
      List<String> envContainers = tasks.lines().filter(l -> !l.isBlank()).toList();
      assertEquals(2, envContainers.size(), "two env replicas: " + tasks);
      ok(docker(none, 30, "kill", envContainers.get(0)), "docker kill");

      await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
          .until(() -> checkpointFrames(checkpoint) > before);
      await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(2))
          .until(() -> checkpointFrames(checkpoint) >= FRAMES);
      await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
          .until(() -> docker(none, 30, "service", "ls", "--filter", "name=" + STACK + "_env",
              "--format", "{{.Replicas}}").output().strip().startsWith("2/2"));
      String learner = docker(none, 60, "service", "logs", "--raw", STACK + "_learner").output();
      assertTrue(learner.contains("reconnecting") || learner.contains("retrying"),
          "the killed replica's sessions reconnected:\n" + Compose.tail(learner));
    } finally {
      docker(none, 120, "stack", "rm", STACK);
      await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
          .until(() -> docker(none, 30, "ps", "-aq", "--filter",
              "label=com.docker.stack.namespace=" + STACK).output().isBlank());
      if (joined) {
        docker(none, 60, "swarm", "leave", "--force");
      }
    }
  }
}
