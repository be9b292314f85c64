package ma3c.cli;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import ma3c.cli.security.ClientSecurityOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Asks a server's grpc.health.v1 service whether it is SERVING (exit 0) or not (exit 1). Each
 * server's program has one, asking by default where that server listens by default.
 */
@Command(name = "health", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
    description = "Exit 0 when the gRPC health service at --address reports SERVING (for HEALTHCHECK).")
public final class HealthCheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  // No defaultValue: picocli takes the value set by the constructor as the default (and shows it).
  @Option(names = "--address",
      description = "The server's host:port. Default: ${DEFAULT-VALUE}, where this program's server"
          + " listens unless told otherwise (following its bind and port environment variables;"
          + " loopback for a wildcard bind).")
  String address;
  @Option(names = "--service", defaultValue = "", description = "Service name; empty = the server.") String service;
  @Option(names = "--authority",
      description = "With --tls-ca: the host name the server's certificate names, when --address does not.")
  String authority;
  @Mixin ClientSecurityOptions security;

  /** The health command of a server that listens where {@code server} says unless told otherwise. */
  public HealthCheckCommand(ListenDefaults server) {
    this(server, System.getenv());
  }

  /** As under the environment variables {@code env}. */
  public HealthCheckCommand(ListenDefaults server, Map<String, String> env) {
    this.address = server.address(env);
  }

  @Override
  public Integer call() throws Exception {
    OptionChecks.HostPort target = OptionChecks.hostPort(spec, "--address", address);
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(target.host(), target.port(),
        security.security().credentials());
    if (authority != null) {
      builder.overrideAuthority(authority);
    }
    ManagedChannel channel = builder.build();
    try {
      HealthCheckResponse.ServingStatus status = HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(3, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
      System.out.println(status);
      return status == HealthCheckResponse.ServingStatus.SERVING ? 0 : 1;
    } catch (RuntimeException e) {
      System.out.println("UNREACHABLE: " + e.getMessage());
      return 1;
    } finally {
      channel.shutdownNow();
    }
  }
}
