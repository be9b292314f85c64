package ma3c.learner.env;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import ma3c.cli.security.ClientSecurity;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import ma3c.env.embed.EmbeddedEnvService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the actor threads' sessions go: the given env services (thread i to endpoint i mod n), or,
 * with none given, an env service started in this JVM on the in-process transport.
 *
 * <p>A host name that resolves to several addresses (a scaled compose service, a headless
 * Kubernetes service) is one endpoint whose sessions gRPC's round_robin policy spreads over every
 * address; when a replica goes away its sessions fail, and the reconnecting threads land on the
 * replicas still up (DNS is re-resolved on connection failures, so a restarted one rejoins).
 */
public final class EnvEndpoints implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EnvEndpoints.class);
  /** The embedded service's channel authority: how ResilientEnv tells it from an --env endpoint. */
  static final String EMBEDDED = "embedded.invalid";

  private final List<ManagedChannel> channels = new ArrayList<>();
  private final EmbeddedEnvService embedded;

  private EnvEndpoints(EmbeddedEnvService embedded) {
    this.embedded = embedded;
  }

  /**
   * Channels to {@code host:port} endpoints (checked by the command line: OptionChecks), with TLS
   * and a token when {@code security} says so, {@code connections} to each endpoint, actor
   * threads taking them in turn. One (the default) lets round_robin spread sessions evenly over
   * a name's replicas. One per thread lets an env service run with --step-on-transport-threads
   * step each session on the network thread of its own connection (no hand-off per step); each
   * channel then starts its round-robin at a random replica, so the spread is random.
   */
  public static EnvEndpoints remote(List<String> endpoints, ClientSecurity security,
      int connections) throws IOException {
    EnvEndpoints e = new EnvEndpoints(null);
    for (int c = 0; c < connections; c++) {
      for (String endpoint : endpoints) {
        e.channels.add(NettyChannelBuilder.forTarget("dns:///" + endpoint, security.credentials())
            .defaultLoadBalancingPolicy("round_robin")
            .keepAliveTime(30, TimeUnit.SECONDS)
            .build());
      }
    }
    log.info("env service endpoints: {}{}", endpoints,
        connections == 1 ? "" : ", " + connections + " connections each");
    return e;
  }

  /** An env service in this JVM over the in-process transport. */
  public static EnvEndpoints embedded(Path romDir, int sessions) throws IOException {
    // A long idle timeout: in-process sessions do not vanish unseen, and the threads that an
    // adaptive allocation parks keep theirs open while they wait.
    EmbeddedEnvService server = EmbeddedEnvService.start(romDir, Math.max(64, sessions),
        Duration.ofHours(24));
    EnvEndpoints e = new EnvEndpoints(server);
    e.channels.add(server.channelBuilder().overrideAuthority(EMBEDDED).build());
    log.info("no --env given: env service embedded in-process (ROMs from {})", romDir.toAbsolutePath());
    return e;
  }

  /** The channel for actor thread {@code thread}. */
  public ManagedChannel forThread(int thread) {
    return channels.get(thread % channels.size());
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    if (embedded != null) {
      embedded.close();
    }
  }
}
