package ma3c.env.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import ma3c.env.EnvServer;
import ma3c.env.RawSession;
import ma3c.env.TestEnvServer;
import ma3c.env.TestRoms;
import ma3c.env.client.EnvSession;
import ma3c.env.session.EnvException;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EnvironmentGrpc;
import ma3c.env.v1.OpenRequest;
import ma3c.env.v1.Request;
import org.junit.jupiter.api.Test;
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
    }
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
      waitFor(() -> env.server.openSessions() == 1);
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
      waitFor(() -> env.server.openSessions() == 0);
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> session.reset(OptionalLong.empty()));
      assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
    }
  }

  static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(10);
    }
  }
}
