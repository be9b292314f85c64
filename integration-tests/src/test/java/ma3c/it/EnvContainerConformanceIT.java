package ma3c.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import ma3c.env.RawSession;
import ma3c.env.client.EnvSession;
import ma3c.env.session.EnvException;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EnvironmentGrpc;
import ma3c.env.v1.GameInfo;
import ma3c.env.v1.ListGamesRequest;
import ma3c.env.v1.OpenRequest;
import ma3c.env.v1.Request;
import ma3c.env.v1.ResetRequest;
import ma3c.env.v1.Response;
import ma3c.env.v1.StepResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The env-service image speaks the contract of proto/ma3c/env/v1/env.proto: a client outside the
 * container lists games, plays an episode to its end, and meets every error code of the contract.
 */
@Testcontainers(disabledWithoutDocker = true)
class EnvContainerConformanceIT {
  private static final EnvConfig SEEDED = EnvConfig.newBuilder().setSeed(11).build();
  private static final int MAX_SESSIONS = 2;

  private static Network network;
  private static GenericContainer<?> env;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    Images.build();
    network = Network.newNetwork();
    env = Ma3cContainers.env(network)
        .withEnv("ENV_MAX_SESSIONS", String.valueOf(MAX_SESSIONS))
        .withEnv("ENV_IDLE_TIMEOUT", "PT3S")
        .withEnv("ENV_MAX_MESSAGE_BYTES", "65536");
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

  private static ManagedChannel channelTo(GenericContainer<?> container) {
    return ManagedChannelBuilder.forAddress(container.getHost(),
        container.getMappedPort(Ma3cContainers.ENV_PORT)).usePlaintext().build();
  }

  /** Opens, retrying while sessions of an earlier test are still being released by the server. */
  private static EnvSession open(String game, EnvConfig config) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        return EnvSession.open(channel, game, config);
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
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

  @Test
  void playsAPongGameToItsEnd() throws Exception {
    try (EnvSession session = open("pong", SEEDED)) {
      assertEquals(List.of(84, 84), session.spec().getObservation().getShapeList());
      assertEquals(6, session.spec().getActionMeaningsCount());
      assertEquals(84 * 84, session.reset(OptionalLong.empty()).getObservation().getData().size());
      Random random = new Random(3);
      double rewards = 0;
      StepResponse step;
      int steps = 0;
      do {
        step = session.step(random.nextInt(6));
        rewards += step.getReward();
        steps++;
      } while (!step.getTerminated() && !step.getTruncated());
      assertTrue(step.getTerminated(), "a random Pong game ends by the rules, not the frame cap");
      assertTrue(step.getInfo().getGameOver());
      assertEquals(rewards, step.getInfo().getEpisodeReturn(), 1e-9);
      assertEquals(steps, step.getInfo().getEpisodeLength());
      assertTrue(rewards <= -15, "random play loses Pong: " + rewards);
      EnvException after = assertThrows(EnvException.class, () -> session.step(0));
      assertEquals(Status.Code.FAILED_PRECONDITION, after.code());
      session.reset(OptionalLong.empty());
      session.step(0);
    }
  }

  @Test
  void aSeedReplaysTheSameFrames() throws Exception {
    byte[][] first = play(5);
    byte[][] second = play(5);
    for (int i = 0; i < first.length; i++) {
      assertArrayEquals(first[i], second[i], "frame " + i);
    }
  }

  private static byte[][] play(long seed) throws Exception {
    byte[][] frames = new byte[40][];
    try (EnvSession session = open("breakout", EnvConfig.getDefaultInstance())) {
      frames[0] = session.reset(OptionalLong.of(seed)).getObservation().getData().toByteArray();
      for (int i = 1; i < frames.length; i++) {
        frames[i] = session.step(i % 4).getObservation().getData().toByteArray();
      }
    }
    return frames;
  }

  @Test
  void unknownGameIsNotFound() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> open("no_such_game", SEEDED));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
  }

  @Test
  void badConfigIsInvalidArgument() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> open("pong", SEEDED.toBuilder().setRepeatActionProbability(1.5f).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
  }

  @Test
  void perRequestErrorsComeBackInBandAndTheSessionGoesOn() throws Exception {
    try (EnvSession session = open("pong", SEEDED)) {
      EnvException beforeReset = assertThrows(EnvException.class, () -> session.step(0));
      assertEquals(Status.Code.FAILED_PRECONDITION, beforeReset.code());
      session.reset(OptionalLong.empty());
      EnvException badAction = assertThrows(EnvException.class, () -> session.step(6));
      assertEquals(Status.Code.INVALID_ARGUMENT, badAction.code());
      assertFalse(session.step(5).getTerminated(), "the session goes on");
    }
  }

  @Test
  void requestBeforeOpenEndsTheStreamWithFailedPrecondition() {
    var call = EnvironmentGrpc.newBlockingV2Stub(channel).session();
    StatusException e = assertThrows(StatusException.class, () -> {
      call.write(Request.newBuilder().setReset(ResetRequest.getDefaultInstance()).build());
      call.read();
    });
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
  }

  @Test
  void sessionLimitIsResourceExhausted() throws Exception {
    try (EnvSession a = open("pong", SEEDED); EnvSession b = open("pong", SEEDED)) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> EnvSession.open(channel, "pong", SEEDED));
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
    }
  }

  @Test
  void oversizedMessageIsResourceExhausted() throws Exception {
    var call = EnvironmentGrpc.newBlockingV2Stub(channel).session();
    StatusException e = assertThrows(StatusException.class, () -> {
      call.write(Request.newBuilder().setOpen(OpenRequest.newBuilder().setGame("x".repeat(100_000))).build());
      call.read();
    });
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
    open("pong", SEEDED).close();
  }

  @Test
  void malformedBytesAreInvalidArgument() throws Exception {
    var call = RawSession.open(channel);
    call.write(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01});
    StatusException e = assertThrows(StatusException.class, call::read);
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    open("pong", SEEDED).close();
  }

  @Test
  void idleSessionIsDeadlineExceeded() throws Exception {
    try (EnvSession session = open("pong", SEEDED)) {
      Thread.sleep(Duration.ofSeconds(5).toMillis());
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> session.reset(OptionalLong.empty()));
      assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
    }
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
