package ma3c.env.service;

import static org.awaitility.Awaitility.await;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import ma3c.env.EnvServer;
import ma3c.env.TestEnvServer;
import ma3c.env.client.EnvSession;
import ma3c.env.contract.RawSession;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EnvironmentGrpc;
import ma3c.env.v1.ListGamesRequest;
import ma3c.grpc.server.MalformedRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Errors whose handling only the server side shows: sessions held, the JVM, its paths, its logs,
 * per-client limits. The contract's errors as any client sees them: EnvContractSuite, run by
 * InProcessContractTest and TcpContractTest (and the container test).
 */
class ServerErrorsTest {
  private static final EnvConfig SEEDED = EnvConfig.newBuilder().setSeed(7).build();

  @Test
  void aFailedOpenHoldsNoSession() throws Exception {
    try (TestEnvServer env = TestEnvServer.withRoms()) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> env.open("no_such_game", SEEDED));
      assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
      assertEquals(0, env.server.openSessions());
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
        await().atMost(Duration.ofMinutes(1)).until(() -> env.server.openSessions() == 1);
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

}
