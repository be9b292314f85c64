package ma3c.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import ma3c.cli.security.ClientSecurity;
import ma3c.cli.security.TestCertificates;
import ma3c.grpc.server.security.BearerTokenInterceptor;
import ma3c.grpc.server.security.ServerSecurity;
import ma3c.policy.v1.ListModelsRequest;
import ma3c.policy.v1.PolicyGrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy server with TLS and a bearer token. */
class SecurePolicyServerTest {
  @Test
  void onlyTheTokenGetsAnAnswer(@TempDir Path dir) throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    PolicyServer server = PolicyServer.tcp(InetAddress.getLoopbackAddress(), 0, dir,
        Duration.ofSeconds(1), new ServerSecurity.Settings(
            TlsServerCredentials.create(certs.cert().toFile(), certs.key().toFile()),
            Optional.of(new BearerTokenInterceptor("policy-token"))), Batching.defaults()).start();
    int port = ((InetSocketAddress) server.listenAddresses().get(0)).getPort();
    Path good = TestCertificates.tokenFile(dir, "good", "policy-token");
    try {
      assertEquals(0, listModels(port, new ClientSecurity(certs.cert().toString(), good.toString())),
          "an empty model directory");
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> listModels(port, new ClientSecurity(certs.cert().toString(), null)));
      assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    } finally {
      server.stop(Duration.ofSeconds(1));
    }
  }

  private static int listModels(int port, ClientSecurity security) throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forTarget("localhost:" + port,
        security.credentials()).build();
    try {
      return PolicyGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .listModels(ListModelsRequest.getDefaultInstance()).getModelsCount();
    } finally {
      channel.shutdownNow();
    }
  }
}
