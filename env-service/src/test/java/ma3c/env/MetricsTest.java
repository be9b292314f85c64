package ma3c.env;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ma3c.cli.metrics.MetricsEndpoint;
import ma3c.env.client.EnvSession;
import ma3c.env.contract.EnvException;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EnvironmentGrpc;
import ma3c.env.v1.OpenRequest;
import ma3c.env.v1.Request;
import ma3c.env.v1.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The env service's Prometheus metrics, scraped over HTTP after known traffic. */
class MetricsTest {
  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
    assertTrue(m.find(), series + " not in:\n" + scrape);
    return Double.parseDouble(m.group(1));
  }

  private static String scrape(MetricsEndpoint endpoint) throws Exception {
    HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    return page.body();
  }

  @Test
  void stepsSessionsAndErrorsByCodeAreCounted(@TempDir Path roms) throws Exception {
    EnvServer server = EnvServer.tcp(0, EnvServer.Options.defaults(roms)).start();
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
        .usePlaintext().build();
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), server.metrics())) {
      EnvSession session = EnvSession.open(channel, "catch", EnvConfig.newBuilder().setSeed(1).build());
      session.reset(OptionalLong.empty());
      for (int i = 0; i < 5; i++) {
        session.step(0);
      }
      assertThrows(EnvException.class, () -> session.step(99));
      assertThrows(StatusRuntimeException.class,
          () -> EnvSession.open(channel, "no_such_game", EnvConfig.getDefaultInstance()));

      String scrape = scrape(endpoint);
      assertEquals(5, value(scrape, "env_step_seconds_count"));
      assertEquals(1, value(scrape, "env_reset_seconds_count"));
      assertEquals(1, value(scrape, "env_sessions_open"));
      assertEquals(1, value(scrape, "env_errors_inband_total{code=\"INVALID_ARGUMENT\"}"));
      assertEquals(1, value(scrape, "grpc_server_calls_total{code=\"NOT_FOUND\",method=\"ma3c.env.v1.Environment/Session\"}"));
      assertTrue(scrape.contains("env_step_seconds_bucket{le="), "a latency histogram");
      session.close();
      // A client that ends its stream by cancelling it (as the Python client's close() does).
      ClientCall<Request, Response> call = channel.newCall(EnvironmentGrpc.getSessionMethod(),
          CallOptions.DEFAULT);
      call.start(new ClientCall.Listener<>() {}, new Metadata());
      call.sendMessage(Request.newBuilder().setOpen(OpenRequest.newBuilder().setGame("catch")).build());
      call.cancel("the client is done", null);
      String cancelled = "grpc_server_calls_total{code=\"CANCELLED\",method=\"ma3c.env.v1.Environment/Session\"}";
      await().atMost(Duration.ofSeconds(10)).until(() -> scrape(endpoint).contains(cancelled + " 1.0"));
    } finally {
      channel.shutdownNow();
      server.stop(Duration.ofSeconds(2));
    }
  }
}
