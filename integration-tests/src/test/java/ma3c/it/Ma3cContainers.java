package ma3c.it;

import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.wait.strategy.Wait;

/** The containers of the system, configured as docker-compose.yml configures them. */
final class Ma3cContainers {
  private static final Logger log = LoggerFactory.getLogger(Ma3cContainers.class);
  static final int ENV_PORT = 50051;
  static final int POLICY_PORT = 50052;
  private static final Duration STARTUP = Duration.ofMinutes(3);

  private Ma3cContainers() {}

  /** The env service with the ROMs read-only, known as {@code env} on {@code network}. */
  static GenericContainer<?> env(Network network) {
    return new GenericContainer<>(Images.ENV)
        .withNetwork(network)
        .withNetworkAliases("env")
        .withFileSystemBind(Images.roms().toString(), "/roms", BindMode.READ_ONLY)
        .withExposedPorts(ENV_PORT)
        // The image's own HEALTHCHECK (gRPC health) decides when it is up: ~30 s on a busy 2-core
        // machine (it describes every ROM first), so a margin for a busier one.
        .waitingFor(Wait.forHealthcheck().withStartupTimeout(STARTUP))
        .withLogConsumer(new Slf4jLogConsumer(log).withPrefix("env"));
  }

  /** The learner image running {@code command}, with {@code runs} mounted as /runs. */
  static GenericContainer<?> learner(Network network, Path runs, String... command) {
    return new GenericContainer<>(Images.LEARNER)
        .withNetwork(network)
        .withFileSystemBind(runs.toString(), "/runs", BindMode.READ_WRITE)
        .withEnv("MA3C_JAVA_OPTS", "-Xms512m -Xmx2g")
        .withCommand(command)
        .withLogConsumer(new Slf4jLogConsumer(log).withPrefix("learner"));
  }

  /** The policy server on the ONNX files of {@code models} (mounted read-only). */
  static GenericContainer<?> policy(Path models) {
    return new GenericContainer<>(Images.POLICY)
        .withFileSystemBind(models.toString(), "/models", BindMode.READ_ONLY)
        .withExposedPorts(POLICY_PORT)
        .waitingFor(Wait.forHealthcheck().withStartupTimeout(STARTUP))
        .withLogConsumer(new Slf4jLogConsumer(log).withPrefix("policy"));
  }
}
