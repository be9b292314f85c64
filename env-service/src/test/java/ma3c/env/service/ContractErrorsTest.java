package ma3c.env.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.Attributes;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import ma3c.env.EnvServer;
import ma3c.env.RawSession;
import ma3c.env.TestEnvServer;
import ma3c.env.TestRoms;
import ma3c.env.Wait;
import ma3c.env.client.EnvSession;
import ma3c.env.session.EnvException;
import ma3c.env.v1.ActionSet;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EnvironmentGrpc;
import ma3c.env.v1.GameInfo;
import ma3c.env.v1.ListGamesRequest;
import ma3c.env.v1.OpenRequest;
import ma3c.env.v1.Request;
import ma3c.env.v1.ResetRequest;
import ma3c.env.v1.Response;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every error of the contract, seen from a real client, and the server survives each one. */
class ContractErrorsTest {
  private static final EnvConfig SEEDED = EnvConfig.newBuilder().setSeed(7).build();

  @Test
  void unknownGameIsNotFound() throws Exception {
    try (TestEnvServer env = TestEnvServer.withRoms()) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> env.open("no_such_game", SEEDED));
      assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
      assertTrue(e.getStatus().getDescription().contains("no_such_game"), e.getMessage());
      assertEquals(0, env.server.openSessions(), "a failed open holds no session");
    }
  }

  @Test
  void malformedGameNameIsNotFound() throws Exception {
    try (TestEnvServer env = TestEnvServer.withRoms()) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> env.open("../pong", SEEDED));
      assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), "no path tricks into other folders");
    }
  }

  @Test
  void missingOrUnsupportedRomIsNotFoundAndTheJvmLives(@TempDir Path roms) throws Exception {
    Files.write(roms.resolve("garbage.bin"), new byte[] {1, 2, 3, 4});
    try (TestEnvServer env = TestEnvServer.inProcess(EnvServer.Options.defaults(roms))) {
      StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
          () -> env.open("pong", SEEDED));
      assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
      // ALE's loadROM would exit(1) on this file: the server must refuse it before that.
      StatusRuntimeException bad = assertThrows(StatusRuntimeException.class,
          () -> env.open("garbage", SEEDED));
      assertEquals(Status.Code.NOT_FOUND, bad.getStatus().getCode());
      assertTrue(bad.getStatus().getDescription().contains("not a ROM that ALE supports"),
          bad.getMessage());
      for (StatusRuntimeException e : List.of(missing, bad)) {
        assertFalse(e.getStatus().getDescription().contains(roms.getFileName().toString()),
            "clients never see the server's paths: " + e.getStatus());
      }
    }
  }

  @Test
  void aLongGameNameIsEchoedCutShort() throws Exception {
    try (TestEnvServer env = TestEnvServer.withRoms()) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> env.open("x".repeat(100_000), SEEDED));
      assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
      String description = e.getStatus().getDescription();
      assertTrue(description.contains("'" + "x".repeat(64) + "...'"), description);
      assertTrue(description.length() < 250, "length " + description.length());
    }
  }

  @Test
  void aSecondOpenIsAnInBandErrorAndTheFirstEnvironmentGoesOn() throws Exception {
    try (TestEnvServer env = TestEnvServer.withRoms()) {
      var call = EnvironmentGrpc.newBlockingV2Stub(env.channel).session();
      call.write(Request.newBuilder().setOpen(OpenRequest.newBuilder().setGame("catch")
          .setConfig(SEEDED)).build());
      assertTrue(call.read().hasOpen());
      call.write(Request.newBuilder().setOpen(OpenRequest.newBuilder().setGame("pong")).build());
      Response second = call.read();
      assertEquals(Status.Code.FAILED_PRECONDITION.value(), second.getError().getCode(), second.toString());
      assertEquals(1, env.server.openSessions());
      call.write(Request.newBuilder().setReset(ResetRequest.getDefaultInstance()).build());
      assertEquals(84 * 84, call.read().getReset().getObservation().getData().size(), "still catch");
      call.halfClose();
    }
  }

  @Test
  void everyGameHasEighteenFullActionsCatchIncluded(@TempDir Path noRoms) throws Exception {
    try (TestEnvServer env = TestEnvServer.inProcess(EnvServer.Options.defaults(noRoms))) {
      GameInfo game = EnvironmentGrpc.newBlockingStub(env.channel)
          .listGames(ListGamesRequest.getDefaultInstance()).getGames(0);
      assertEquals("catch", game.getName());
      assertEquals(18, game.getFullActionCount(), "the contract says always 18");
      try (EnvSession full = env.open("catch", SEEDED.toBuilder().setActionSet(ActionSet.FULL).build())) {
        assertEquals(game.getFullActionCount(), full.spec().getActionCount());
      }
    }
  }

  @Test
  void oneClientCannotTakeEverySlot(@TempDir Path noRoms) throws Exception {
    EnvServer.Options perClient =
        new EnvServer.Options(noRoms, 4, Duration.ofMinutes(1), 1 << 22, 2);
    try (TestEnvServer env = TestEnvServer.tcp(perClient)) {
      ManagedChannel a = channelFrom("127.0.0.2", env.server.port());
      ManagedChannel b = channelFrom("127.0.0.3", env.server.port());
      try (EnvSession a1 = EnvSession.open(a, "catch", SEEDED);
          EnvSession a2 = EnvSession.open(a, "catch", SEEDED)) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
            () -> EnvSession.open(a, "catch", SEEDED));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("per-client session limit"), e.getMessage());
        EnvSession.open(b, "catch", SEEDED).close();
        a1.close();
        Wait.until(() -> env.server.openSessions() == 1);
        EnvSession.open(a, "catch", SEEDED).close();
      } finally {
        a.shutdownNow();
        b.shutdownNow();
      }
    }
  }

  /** A channel whose connections come from {@code source}, a loopback address of its own. */
  private static ManagedChannel channelFrom(String source, int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
        .localSocketPicker(new NettyChannelBuilder.LocalSocketPicker() {
          @Override
          public SocketAddress createSocketAddress(SocketAddress remote, Attributes attributes) {
            return new InetSocketAddress(source, 0);
          }
        })
        .build();
  }

  @Test
  void malformedUnaryRequestsAreInvalidArgumentAndLoggedOnce(@TempDir Path noRoms) throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(MalformedRequests.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    // gRPC's own failures go to java.util.logging, with a stack trace each.
    java.util.logging.Logger grpc = java.util.logging.Logger.getLogger("io.grpc");
    List<LogRecord> grpcFailures = new CopyOnWriteArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
          grpcFailures.add(record);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    grpc.addHandler(handler);
    byte[] garbage = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};
    try (TestEnvServer env = TestEnvServer.tcp(EnvServer.Options.defaults(noRoms))) {
      for (int i = 0; i < 3; i++) {
        for (MethodDescriptor<?, ?> method : List.of(EnvironmentGrpc.getListGamesMethod(),
            HealthGrpc.getCheckMethod())) {
          StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
              () -> RawSession.unary(env.channel, method, garbage));
          assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
          assertTrue(e.getStatus().getDescription().startsWith("malformed request"), e.getMessage());
        }
      }
      // Valid requests, empty ones included, still pass.
      assertEquals(1, EnvironmentGrpc.newBlockingStub(env.channel)
          .listGames(ListGamesRequest.getDefaultInstance()).getGamesCount());
      HealthGrpc.newBlockingStub(env.channel).check(HealthCheckRequest.getDefaultInstance());
    } finally {
      logger.detachAppender(logged);
      grpc.removeHandler(handler);
    }
    assertEquals(1, logged.list.size(), "one line for six malformed calls: " + logged.list);
    assertTrue(grpcFailures.isEmpty(), "no gRPC failure logged: " + grpcFailures.stream()
        .map(LogRecord::getMessage).toList());
  }

  @Test
  void badConfigIsInvalidArgument() throws Exception {
    try (TestEnvServer env = TestEnvServer.withRoms()) {
      for (EnvConfig bad : new EnvConfig[] {
          EnvConfig.newBuilder().setFrameSkip(0).build(),
          EnvConfig.newBuilder().setRepeatActionProbability(1.5f).build(),
          EnvConfig.newBuilder().setNoopMax(-1).build(),
          EnvConfig.newBuilder().setMaxEpisodeFrames(-5).build(),
          EnvConfig.newBuilder().setObservationFormatValue(99).build()}) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
            () -> env.open("pong", bad), bad.toString());
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), bad.toString());
      }
    }
  }

  @Test
  void actionOutOfRangeIsInvalidArgumentAndTheSessionGoesOn() throws Exception {
    try (TestEnvServer env = TestEnvServer.withRoms();
        EnvSession session = env.open("pong", SEEDED)) {
      session.reset(OptionalLong.empty());
      for (int bad : new int[] {-1, 6, 18}) {
        EnvException e = assertThrows(EnvException.class, () -> session.step(bad));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("out of range [0, 6)"), e.getMessage());
      }
      session.step(0);
    }
  }

  @Test
  void stepBeforeResetIsFailedPrecondition() throws Exception {
    try (TestEnvServer env = TestEnvServer.withRoms();
        EnvSession session = env.open("pong", SEEDED)) {
      EnvException e = assertThrows(EnvException.class, () -> session.step(0));
      assertEquals(Status.Code.FAILED_PRECONDITION, e.code());
      session.reset(OptionalLong.empty());
      session.step(0);
    }
  }

  @Test
  void stepAfterEpisodeEndIsFailedPrecondition() throws Exception {
    EnvConfig capped = SEEDED.toBuilder().setMaxEpisodeFrames(40).build();
    try (TestEnvServer env = TestEnvServer.withRoms();
        EnvSession session = env.open("pong", capped)) {
      session.reset(OptionalLong.empty());
      boolean ended = false;
      for (int i = 0; i < 20 && !ended; i++) {
        ended = session.step(0).getTruncated();
      }
      assertTrue(ended, "a 40-frame cap ends the episode within 10 steps");
      EnvException e = assertThrows(EnvException.class, () -> session.step(0));
      assertEquals(Status.Code.FAILED_PRECONDITION, e.code());
      session.reset(OptionalLong.empty());
      session.step(0);
    }
  }

  @Test
  void requestBeforeOpenEndsTheStreamWithFailedPrecondition() throws Exception {
    try (TestEnvServer env = TestEnvServer.withRoms()) {
      var call = EnvironmentGrpc.newBlockingV2Stub(env.channel).session();
      call.write(Request.newBuilder().setReset(ma3c.env.v1.ResetRequest.getDefaultInstance()).build());
      io.grpc.StatusException e = assertThrows(io.grpc.StatusException.class, call::read);
      assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    }
  }

  @Test
  void sessionLimitIsResourceExhausted() throws Exception {
    EnvServer.Options two = new EnvServer.Options(TestRoms.dir(), 2, Duration.ofMinutes(1), 1 << 20);
    try (TestEnvServer env = TestEnvServer.inProcess(two);
        EnvSession a = env.open("pong", SEEDED);
        EnvSession b = env.open("pong", SEEDED)) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> env.open("pong", SEEDED));
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
      a.close();
      Wait.until(() -> env.server.openSessions() == 1);
      env.open("pong", SEEDED).close();
    }
  }

  @Test
  void oversizedMessageIsRejectedAndTheServerGoesOn() throws Exception {
    EnvServer.Options small = new EnvServer.Options(TestRoms.dir(), 4, Duration.ofMinutes(1), 1024);
    try (TestEnvServer env = TestEnvServer.tcp(small)) {
      String huge = "x".repeat(4096);
      var call = EnvironmentGrpc.newBlockingV2Stub(env.channel).session();
      call.write(Request.newBuilder().setOpen(OpenRequest.newBuilder().setGame(huge)).build());
      io.grpc.StatusException e = assertThrows(io.grpc.StatusException.class, call::read);
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
      env.open("pong", SEEDED).close();
    }
  }

  @Test
  void malformedBytesAreRejectedAndTheServerGoesOn() throws Exception {
    try (TestEnvServer env = TestEnvServer.tcp(EnvServer.Options.defaults(TestRoms.dir()))) {
      var responses = RawSession.open(env.channel);
      responses.write(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01});
      io.grpc.StatusException e = assertThrows(io.grpc.StatusException.class, responses::read);
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
      assertTrue(e.getStatus().getDescription().contains("malformed request"), e.getStatus().toString());
      env.open("pong", SEEDED).close();
    }
  }

  @Test
  void malformedBytesInAnOpenSessionAreAnInBandErrorAndTheSessionGoesOn() throws Exception {
    try (TestEnvServer env = TestEnvServer.tcp(EnvServer.Options.defaults(TestRoms.dir()))) {
      var call = RawSession.open(env.channel);
      call.write(Request.newBuilder().setOpen(OpenRequest.newBuilder().setGame("pong")
          .setConfig(SEEDED)).build().toByteArray());
      assertTrue(ma3c.env.v1.Response.parseFrom(call.read()).hasOpen());
      call.write(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01});
      ma3c.env.v1.Response error = ma3c.env.v1.Response.parseFrom(call.read());
      assertEquals(Status.Code.INVALID_ARGUMENT.value(), error.getError().getCode());
      call.write(Request.newBuilder().setReset(ma3c.env.v1.ResetRequest.getDefaultInstance())
          .build().toByteArray());
      assertTrue(ma3c.env.v1.Response.parseFrom(call.read()).hasReset(), "the session goes on");
      call.halfClose();
    }
  }

  @Test
  void idleSessionsAreEndedWithDeadlineExceeded() throws Exception {
    EnvServer.Options quick = new EnvServer.Options(TestRoms.dir(), 4, Duration.ofMillis(200), 1 << 20);
    try (TestEnvServer env = TestEnvServer.inProcess(quick);
        EnvSession session = env.open("pong", SEEDED)) {
      Wait.until(() -> env.server.openSessions() == 0);
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> session.reset(OptionalLong.empty()));
      assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
    }
  }
}
