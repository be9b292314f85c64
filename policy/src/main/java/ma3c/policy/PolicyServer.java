package ma3c.policy;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import ma3c.grpc.server.MalformedRequests;
import ma3c.grpc.server.metrics.GrpcServerMetrics;
import ma3c.grpc.server.security.ServerSecurity;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import ma3c.policy.v1.PolicyGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The policy server: the Policy service over a model directory that it re-reads every few seconds. */
public final class PolicyServer {
  private static final Logger log = LoggerFactory.getLogger(PolicyServer.class);

  /** The longest a new model file must stay unchanged before it is read (see ModelDirectory). */
  private static final Duration MAX_QUIET = Duration.ofSeconds(1);

  private final Server server;
  private final ModelDirectory models;
  private final ActBatcher batcher;
  private final PolicyService service;
  private final HealthStatusManager health = new HealthStatusManager();
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ScheduledExecutorService reloader = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "model-reload");
    t.setDaemon(true);
    return t;
  });

  /** Listening on {@code bind}:{@code port} (port 0: any free one). */
  public static PolicyServer tcp(InetAddress bind, int port, Path modelDir, Duration reloadEvery) {
    return tcp(bind, port, modelDir, reloadEvery, ServerSecurity.Settings.none(), Batching.defaults());
  }

  /** With TLS and/or a bearer token check ({@code security}), batching Act calls as {@code batching} says. */
  public static PolicyServer tcp(InetAddress bind, int port, Path modelDir, Duration reloadEvery,
      ServerSecurity.Settings security, Batching batching) {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(bind, port),
        security.credentials());
    security.auth().ifPresent(builder::intercept);
    return new PolicyServer(builder, modelDir, reloadEvery, batching);
  }

  public PolicyServer(ServerBuilder<?> builder, Path modelDir, Duration reloadEvery, Batching batching) {
    Duration quiet = reloadEvery.compareTo(MAX_QUIET) < 0 ? reloadEvery : MAX_QUIET;
    this.models = new ModelDirectory(modelDir, quiet);
    this.batcher = batching.enabled()
        ? new ActBatcher(batching.maxBatch(), batching.maxWait(), batching.workers(),
            batching.workers() * Batching.QUEUE_PER_WORKER, metrics)
        : null;
    Gauge.builder("policy.models.loaded", models, m -> m.models().size())
        .description("Models being served").register(metrics);
    if (batcher != null) {
      // The handlers only check and enqueue: run them on the transport's threads, one hop fewer.
      builder.directExecutor();
    }
    this.service = new PolicyService(models, metrics, batcher);
    MalformedRequests malformed = PolicyService.malformedRequests();
    this.server = builder
        .maxInboundMessageSize(1 << 20)
        .intercept(new GrpcServerMetrics(metrics))
        .addService(malformed.guard(service.bindService()))
        .addService(malformed.guard(health.getHealthService().bindService()))
        .addService(malformed.guard(ProtoReflectionServiceV1.newInstance().bindService()))
        .build();
    long ms = reloadEvery.toMillis();
    reloader.scheduleWithFixedDelay(models::refresh, ms, ms, TimeUnit.MILLISECONDS);
  }

  public PolicyServer start() throws IOException {
    server.start();
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(PolicyGrpc.SERVICE_NAME, ServingStatus.SERVING);
    log.info("policy service on {} serving {} from {}", server.getListenSockets(),
        models.models().keySet(), models.dir().toAbsolutePath());
    return this;
  }

  public int port() {
    return server.getPort();
  }

  /** This server's meters (Act latency, models loaded, calls by code), for /metrics. */
  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  /** The addresses it listens on. */
  public List<? extends SocketAddress> listenAddresses() {
    return server.getListenSockets();
  }

  public void stop(Duration grace) throws InterruptedException {
    health.enterTerminalState();
    reloader.shutdownNow();
    server.shutdown();
    if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      // Open ActStreams learn why they end (the contract's UNAVAILABLE), not a bare reset.
      service.endStreams();
      if (!server.awaitTermination(1, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    }
    // After the server: calls it let finish during the grace period are answered by the batcher.
    if (batcher != null) {
      batcher.close();
    }
    models.close();
  }

  public void blockUntilShutdown() throws InterruptedException {
    server.awaitTermination();
  }
}
