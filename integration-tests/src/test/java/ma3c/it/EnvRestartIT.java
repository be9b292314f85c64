package ma3c.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ma3c.learner.run.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The env container is stopped and started again in the middle of a training run: the learner's
 * sessions reconnect, training goes on to its budget, and every checkpoint written loads.
 */
@Testcontainers(disabledWithoutDocker = true)
class EnvRestartIT {
  private static final long FRAMES = 40_000;
  private static final Pattern SESSION_OPENED = Pattern.compile("session opened");

  @TempDir
  Path runs;

  @Test
  void trainingSurvivesAnEnvRestart() throws Exception {
    Images.build();
    DockerClient docker = DockerClientFactory.instance().client();
    Path checkpointFile = runs.resolve("fault").resolve(Checkpoint.FILE);
    try (Network network = Network.newNetwork();
        GenericContainer<?> env = Ma3cContainers.env(network);
        GenericContainer<?> learner = Ma3cContainers.learner(network, runs, "train",
            "--env", "env:50051", "--games", "pong", "--arch", "a3c", "--threads", "2",
            "--frames", String.valueOf(FRAMES), "--run-dir", "/runs/fault",
            "--checkpoint-every", "3", "--progress-every", "2")) {
      env.start();
      learner.start();
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
          .until(() -> learner.getLogs().contains("checkpoint at"));
      Checkpoint before = Checkpoint.load(checkpointFile);
      assertTrue(before.meta().frames() < FRAMES, "the fault comes mid-run: " + before.meta().frames());

      docker.stopContainerCmd(env.getContainerId()).withTimeout(10).exec();
      await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
          .until(() -> learner.getLogs().contains("reconnecting"));
      Thread.sleep(3000);
      long framesWhileDown = Checkpoint.load(checkpointFile).meta().frames();
      docker.startContainerCmd(env.getContainerId()).exec();

      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(250))
          .until(() -> !Boolean.TRUE.equals(
              docker.inspectContainerCmd(learner.getContainerId()).exec().getState().getRunning()));
      Long exit = docker.inspectContainerCmd(learner.getContainerId()).exec().getState().getExitCodeLong();
      assertEquals(0L, exit, "learner exit code; its log:\n" + Compose.tail(learner.getLogs()));

      Checkpoint after = Checkpoint.load(checkpointFile);
      assertTrue(after.meta().frames() >= FRAMES, "trained to the budget: " + after.meta().frames());
      assertTrue(after.meta().frames() > framesWhileDown, "training went on after the restart");
      assertTrue(after.meta().updates() > before.meta().updates());
      // Both threads' sessions were opened twice: before the stop and on the restarted service.
      assertTrue(count(SESSION_OPENED, env.getLogs()) >= 4, env.getLogs());
    }
  }

  private static int count(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
