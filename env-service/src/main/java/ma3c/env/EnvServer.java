package ma3c.env;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import ma3c.env.service.EnvironmentService;
import ma3c.env.service.SessionRegistry;
import ma3c.env.session.GameCatalog;
import ma3c.env.v1.EnvironmentGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The environment server: the Environment service with health checking and reflection, over TCP
 * or the in-process transport (so the learner can embed it).
 */
public final class EnvServer {
  private static final Logger log = LoggerFactory.getLogger(EnvServer.class);

  /** Server settings; see EnvServiceMain for their flags and defaults. */
  public record Options(Path romDir, int maxSessions, Duration idleTimeout, int maxMessageBytes) {
    public static Options defaults(Path romDir) {
      return new Options(romDir, 64, Duration.ofMinutes(5), 4 * 1024 * 1024);
    }
  }

  private final Server server;
  private final SessionRegistry registry;
  private final HealthStatusManager health = new HealthStatusManager();
  private final String address;

  /** A TCP server on {@code port} (0 picks a free one) on all interfaces. */
  public static EnvServer tcp(int port, Options options) {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(port))
        // Notice clients that vanish without closing their stream.
        .keepAliveTime(30, TimeUnit.SECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS)
        .permitKeepAliveTime(10, TimeUnit.SECONDS);
    return new EnvServer(builder, options, "tcp");
  }

  /**
   * An in-process server reachable through {@code InProcessChannelBuilder.forName(name)}. It runs
   * each session's requests on the calling thread (direct executor): an embedding learner's actor
   * thread steps its own emulator, with no thread hand-off.
   */
  public static EnvServer inProcess(String name, Options options) {
    return new EnvServer(InProcessServerBuilder.forName(name).directExecutor(), options,
        "in-process:" + name);
  }

  public EnvServer(ServerBuilder<?> builder, Options options, String address) {
    this.registry = new SessionRegistry(options.maxSessions(), options.idleTimeout());
    this.address = address;
    this.server = builder
        .maxInboundMessageSize(options.maxMessageBytes())
        .addService(new EnvironmentService(new GameCatalog(options.romDir()), registry).definition())
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .build();
  }

  public EnvServer start() throws IOException {
    server.start();
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(EnvironmentGrpc.SERVICE_NAME, ServingStatus.SERVING);
    log.info("environment service listening on {}", address.equals("tcp") ? "port " + port() : address);
    return this;
  }

  /** The bound TCP port (-1 in-process). */
  public int port() {
    return server.getPort();
  }

  public int openSessions() {
    return registry.openSessions();
  }

  /**
   * Drains: reports NOT_SERVING, stops accepting calls, ends open sessions with UNAVAILABLE (a
   * clean end clients can reconnect from), then waits up to {@code grace} for calls to finish.
   */
  public void stop(Duration grace) throws InterruptedException {
    health.enterTerminalState();
    server.shutdown();
    registry.drain();
    if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      server.shutdownNow();
      server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    }
    registry.close();
  }

  public void blockUntilShutdown() throws InterruptedException {
    server.awaitTermination();
  }
}
