package ma3c.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import ma3c.env.client.EnvSession;
import ma3c.env.contract.EnvContractSuite;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EnvironmentGrpc;
import ma3c.env.v1.GameInfo;
import ma3c.env.v1.ListGamesRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The env-service image speaks the contract of proto/ma3c/env/v1/env.proto: the contract suite
 * from a client outside the container, plus what only a container shows (its mounted ROMs, docker
 * stop).
 */
@Testcontainers(disabledWithoutDocker = true)
class EnvContainerConformanceIT extends EnvContractSuite {
  private static final EnvConfig SEEDED = EnvConfig.newBuilder().setSeed(11).build();
  private static final Limits LIMITS = new Limits(2, Duration.ofSeconds(3), 65536);

  private static Network network;
  private static GenericContainer<?> env;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    Images.build();
    network = Network.newNetwork();
    env = Ma3cContainers.env(network)
        .withEnv("ENV_MAX_SESSIONS", String.valueOf(LIMITS.maxSessions()))
        .withEnv("ENV_IDLE_TIMEOUT", LIMITS.idleTimeout().toString())
        .withEnv("ENV_MAX_MESSAGE_BYTES", String.valueOf(LIMITS.maxMessageBytes()));
    env.start();
    channel = channelTo(env);
  }

  @AfterAll
  static void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (env != null) {
      env.stop();
    }
    if (network != null) {
      network.close();
    }
  }

  @Override
  protected Channel channel() {
    return channel;
  }

  @Override
  protected Limits limits() {
    return LIMITS;
  }

  private static ManagedChannel channelTo(GenericContainer<?> container) {
    return ManagedChannelBuilder.forAddress(container.getHost(),
        container.getMappedPort(Ma3cContainers.ENV_PORT)).usePlaintext().build();
  }

  @Test
  void listsTheMountedGamesWithTheirActions() {
    List<GameInfo> games = EnvironmentGrpc.newBlockingStub(channel)
        .listGames(ListGamesRequest.getDefaultInstance()).getGamesList();
    GameInfo pong = games.stream().filter(g -> g.getName().equals("pong")).findFirst().orElseThrow();
    assertEquals(List.of("NOOP", "FIRE", "RIGHT", "LEFT", "RIGHTFIRE", "LEFTFIRE"),
        pong.getMinimalActionMeaningsList());
    assertTrue(games.stream().anyMatch(g -> g.getName().equals("breakout")));
    assertTrue(games.size() > 50, "the whole ROM directory is served: " + games.size());
  }

  /** `docker stop` sends SIGTERM: the service drains and open sessions end with UNAVAILABLE. */
  @Test
  void stoppingTheContainerEndsSessionsWithUnavailable() throws Exception {
    try (GenericContainer<?> doomed = Ma3cContainers.env(network).withNetworkAliases("doomed")) {
      doomed.start();
      ManagedChannel own = channelTo(doomed);
      try (EnvSession session = EnvSession.open(own, "pong", SEEDED)) {
        session.reset(OptionalLong.empty());
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() ->
            doomed.getDockerClient().stopContainerCmd(doomed.getContainerId()).withTimeout(30).exec());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          while (System.nanoTime() < deadline) {
            session.step(0);
          }
        });
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
        stopped.get(40, TimeUnit.SECONDS);
      } finally {
        own.shutdownNow();
      }
    }
  }
}
