package ma3c.env;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import ma3c.grpc.server.metrics.GrpcServerMetrics;
import ma3c.grpc.server.security.ServerSecurity;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import ma3c.env.service.ClientAddress;
import ma3c.env.service.EnvironmentService;
import ma3c.grpc.server.MalformedRequests;
import ma3c.env.service.SessionMetrics;
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

  /**
   * Server settings; see cli.ServeOptions for their flags, defaults and the ranges the CLI accepts.
   * {@code maxSessionsPerClient} is SessionRegistry.NO_CLIENT_LIMIT (0) for no per-client limit.
   */
  public record Options(Path romDir, int maxSessions, Duration idleTimeout, int maxMessageBytes,
      int maxSessionsPerClient) {
    /** Without a per-client limit. */
    public Options(Path romDir, int maxSessions, Duration idleTimeout, int maxMessageBytes) {
      this(romDir, maxSessions, idleTimeout, maxMessageBytes, SessionRegistry.NO_CLIENT_LIMIT);
    }

    public static Options defaults(Path romDir) {
      return new Options(romDir, 64, Duration.ofMinutes(5), 4 * 1024 * 1024);
    }
  }

  private final Server server;
  private final GameCatalog catalog;
  private final SessionRegistry registry;
  private final HealthStatusManager health = new HealthStatusManager();
  private final HealthWatches watches = new HealthWatches();
  private final String address;
  private final boolean warmCatalog;
  private Runnable afterStop = () -> { };
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** A TCP server on {@code port} (0 picks a free one) of the loopback interface only. */
  public static EnvServer tcp(int port, Options options) {
    return tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), options);
  }

  /** A plaintext TCP server on {@code address} (a wildcard address listens on every interface). */
  public static EnvServer tcp(InetSocketAddress address, Options options) {
    return tcp(address, options, ServerSecurity.Settings.none());
  }

  /** A TCP server on {@code address} with TLS and/or a bearer token check ({@code security}). */
  public static EnvServer tcp(InetSocketAddress address, Options options,
      ServerSecurity.Settings security) {
    return tcp(address, options, security, false);
  }

  /**
   * As above; with {@code stepOnTransportThreads} each session's requests run on the network
   * thread of its connection instead of being handed to a worker pool: one thread hand-off fewer
   * per step each way, but sessions sharing a connection then step one at a time, and a slow
   * request (open: ~90 ms loading the ROM) delays the connections that share its thread. For
   * clients that open a connection per session (the learner's --env-connections).
   */
  public static EnvServer tcp(InetSocketAddress address, Options options,
      ServerSecurity.Settings security, boolean stepOnTransportThreads) {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(address, security.credentials())
        // Notice clients that vanish without closing their stream.
        .keepAliveTime(30, TimeUnit.SECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS)
        .permitKeepAliveTime(10, TimeUnit.SECONDS);
    security.auth().ifPresent(builder::intercept);
    if (stepOnTransportThreads) {
      builder.directExecutor();
    }
    return new EnvServer(builder, options, address.getHostString(), true);
  }

  /**
   * A server on the Unix domain socket {@code socket} (Linux), reached as {@code unix:<path>}.
   * Only the env bench uses it: it measured no faster than TCP on loopback (BENCHMARKS.md, "Env
   * service with 8 sessions"), so the command line does not offer it. A stale socket file is
   * replaced.
   */
  public static EnvServer unixSocket(Path socket, Options options, ServerSecurity.Settings security)
      throws IOException {
    Files.deleteIfExists(socket);
    EpollEventLoopGroup boss = new EpollEventLoopGroup(1);
    EpollEventLoopGroup workers = new EpollEventLoopGroup();
    NettyServerBuilder builder = NettyServerBuilder.forAddress(
            new DomainSocketAddress(socket.toString()), security.credentials())
        .channelType(EpollServerDomainSocketChannel.class)
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(workers);
    security.auth().ifPresent(builder::intercept);
    EnvServer server = new EnvServer(builder, options, "unix:" + socket, true);
    // Groups given to the builder are the caller's to shut down.
    server.afterStop = () -> {
      boss.shutdownGracefully();
      workers.shutdownGracefully();
    };
    return server;
  }

  /**
   * An in-process server reachable through {@code InProcessChannelBuilder.forName(name)}. It runs
   * each session's requests on the calling thread (direct executor): an embedding learner's actor
   * thread steps its own emulator, with no thread hand-off. It reports SERVING at once: its
   * embedder opens games it already knows, and need not pay for describing every ROM.
   */
  public static EnvServer inProcess(String name, Options options) {
    return new EnvServer(InProcessServerBuilder.forName(name).directExecutor(), options,
        "in-process:" + name, false);
  }

  private EnvServer(ServerBuilder<?> builder, Options options, String address, boolean warmCatalog) {
    this.catalog = new GameCatalog(options.romDir());
    this.registry = new SessionRegistry(options.maxSessions(), options.maxSessionsPerClient(),
        options.idleTimeout());
    this.address = address;
    this.warmCatalog = warmCatalog;
    MalformedRequests malformed = EnvironmentService.malformedRequests();
    Gauge.builder("env.sessions.open", registry, SessionRegistry::openSessions)
        .description("Environments open now").register(metrics);
    // The health service starts out SERVING; nothing is served before start() says so.
    setHealth(ServingStatus.NOT_SERVING);
    this.server = builder
        .maxInboundMessageSize(transportLimit(options.maxMessageBytes()))
        .intercept(new GrpcServerMetrics(metrics))
        .addService(malformed.guard(ServerInterceptors.intercept(
            new EnvironmentService(catalog, registry, new SessionMetrics(metrics),
                options.maxMessageBytes()),
            new ClientAddress())))
        .addService(ServerInterceptors.intercept(
            malformed.guard(health.getHealthService().bindService()), watches))
        .addService(malformed.guard(ProtoReflectionServiceV1.newInstance().bindService()))
        .build();
  }

  /**
   * The transport's message limit: twice the contract's, which the session checks itself. A
   * request over the transport's limit in the middle of a stream meets gRPC's reset (the client
   * sees a bare CANCELLED, grpc-java#11245); one between the two limits is answered with
   * RESOURCE_EXHAUSTED, in-band once the session is open.
   */
  static int transportLimit(int maxMessageBytes) {
    return (int) Math.min(Integer.MAX_VALUE, 2L * maxMessageBytes);
  }

  /** This server's meters (sessions, step latency, calls and errors by code), for /metrics. */
  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  /**
   * Starts listening. A TCP server reports NOT_SERVING until it has described every ROM (~90 ms
   * each, ~10 s for the usual set), so that a client that waits for SERVING gets its first
   * ListGames answered at once.
   */
  public EnvServer start() throws IOException {
    server.start();
    log.info("environment service listening on {}",
        address.startsWith("in-process:") || address.startsWith("unix:") ? address : address + ":" + port());
    if (warmCatalog) {
      Thread warmup = new Thread(this::warmUpThenServe, "catalog-warmup");
      warmup.setDaemon(true);
      warmup.start();
    } else {
      setHealth(ServingStatus.SERVING);
    }
    return this;
  }

  private void warmUpThenServe() {
    try {
      log.info("{} games available", catalog.games().size());
      setHealth(ServingStatus.SERVING);
    } catch (RuntimeException e) {
      log.error("cannot list the games: health stays NOT_SERVING", e);
    }
  }

  /** Ignored once stop() has begun: the health service then stays NOT_SERVING. */
  private void setHealth(ServingStatus status) {
    health.setStatus("", status);
    health.setStatus(EnvironmentGrpc.SERVICE_NAME, status);
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
   * clean end clients can reconnect from) and health Watch streams, then waits up to
   * {@code grace} for the calls left (a ListGames in flight) to finish.
   */
  public void stop(Duration grace) throws InterruptedException {
    health.enterTerminalState();
    server.shutdown();
    registry.drain();
    watches.endAll();
    if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      server.shutdownNow();
      server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    }
    registry.close();
    afterStop.run();
  }

  public void blockUntilShutdown() throws InterruptedException {
    server.awaitTermination();
  }
}
