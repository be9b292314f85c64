package ma3c.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import ma3c.cli.security.ClientSecurity;
import ma3c.cli.security.TestCertificates;
import ma3c.env.v1.EnvironmentGrpc;
import ma3c.env.v1.ListGamesRequest;
import ma3c.grpc.server.security.BearerTokenInterceptor;
import ma3c.grpc.server.security.ServerSecurity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The env service with TLS and a bearer token, against good and bad clients. */
class SecureEnvServerTest {
  @TempDir
  static Path dir;
  private static EnvServer server;
  private static TestCertificates certs;
  private static String target;

  @BeforeAll
  static void start() throws Exception {
    certs = TestCertificates.create(dir);
    ServerSecurity.Settings security = new ServerSecurity.Settings(
        TlsServerCredentials.create(certs.cert().toFile(), certs.key().toFile()),
        Optional.of(new BearerTokenInterceptor("s3cret-token")));
    server = EnvServer.tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        EnvServer.Options.defaults(dir.resolve("no-roms")), security).start();
    target = "localhost:" + server.port();
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop(Duration.ofSeconds(2));
  }

  private static <T> T call(ClientSecurity security, java.util.function.Function<ManagedChannel, T> rpc)
      throws Exception {
    ChannelCredentials credentials = security.credentials();
    ManagedChannel channel = NettyChannelBuilder.forTarget(target, credentials).build();
    try {
      return rpc.apply(channel);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static int listGames(ClientSecurity security) throws Exception {
    return call(security, ch -> EnvironmentGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
        .listGames(ListGamesRequest.getDefaultInstance()).getGamesCount());
  }

  @Test
  void theRightCaAndTokenGetIn() throws Exception {
    Path token = TestCertificates.tokenFile(dir, "good", "s3cret-token");
    assertEquals(1, listGames(new ClientSecurity(certs.cert().toString(), token.toString())),
        "catch, the built-in game");
  }

  @Test
  void aMissingOrWrongTokenIsUnauthenticatedAndSaysNoMore() throws Exception {
    Path wrong = TestCertificates.tokenFile(dir, "wrong", "s3cret-tokem");
    for (ClientSecurity client : new ClientSecurity[] {
        new ClientSecurity(certs.cert().toString(), null),
        new ClientSecurity(certs.cert().toString(), wrong.toString())}) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> listGames(client));
      assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
      assertEquals("missing or invalid bearer token", e.getStatus().getDescription());
    }
  }

  @Test
  void plaintextDoesNotReachATlsServer() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> listGames(ClientSecurity.NONE));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
  }

  @Test
  void theHealthServiceNeedsNoTokenForProbes() throws Exception {
    HealthCheckResponse.ServingStatus status = call(new ClientSecurity(certs.cert().toString(), null),
        ch -> HealthGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance()).getStatus());
    assertTrue(status == HealthCheckResponse.ServingStatus.SERVING
        || status == HealthCheckResponse.ServingStatus.NOT_SERVING, status.toString());
  }

  @Test
  void aTokenWithoutTlsWorksOnAPlaintextServer(@TempDir Path other) throws Exception {
    EnvServer plain = EnvServer.tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        EnvServer.Options.defaults(other), new ServerSecurity.Settings(
            InsecureServerCredentials.create(), Optional.of(new BearerTokenInterceptor("t")))).start();
    try {
      Path token = TestCertificates.tokenFile(other, "t", "t");
      ManagedChannel ch = NettyChannelBuilder.forTarget("127.0.0.1:" + plain.port(),
          new ClientSecurity(null, token.toString()).credentials()).build();
      assertEquals(1, EnvironmentGrpc.newBlockingStub(ch).listGames(ListGamesRequest.getDefaultInstance())
          .getGamesCount());
      ch.shutdownNow();
    } finally {
      plain.stop(Duration.ofSeconds(2));
    }
  }
}
