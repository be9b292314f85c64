package ma3c.cli.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import ma3c.cli.CommandFailedException;
import ma3c.cli.OptionChecks;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** --metrics-port: where a process serves its Prometheus metrics, if anywhere. */
public final class MetricsOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--metrics-port",
      description = "Serve Prometheus metrics at http://<bind address>:PORT/metrics (0: any free"
          + " port). Default: none.")
  Integer port;

  @Option(names = "--metrics-bind",
      description = "Address of the metrics page (default: the server's --bind; the learner's: 127.0.0.1).")
  String bind;

  /** A usage error for a port out of range: call before anything listens. */
  public void check() {
    if (port != null) {
      OptionChecks.range(spec, "--metrics-port", port, 0, 65535);
    }
  }

  /**
   * The endpoint on --metrics-bind, else {@code defaultBind}; none without --metrics-port. A port
   * in use or an address not this host's fails naming the options and the address.
   */
  public Optional<MetricsEndpoint> start(InetAddress defaultBind, PrometheusMeterRegistry registry)
      throws CommandFailedException {
    check();
    if (port == null) {
      return Optional.empty();
    }
    InetAddress address = bind == null ? defaultBind : OptionChecks.address(spec, "--metrics-bind", bind);
    try {
      return Optional.of(MetricsEndpoint.start(new InetSocketAddress(address, port), registry));
    } catch (IOException e) {
      throw new CommandFailedException((bind == null ? "" : "--metrics-bind " + bind + " ")
          + "--metrics-port " + port + ": cannot listen on " + address.getHostAddress() + ":" + port
          + ": " + e.getMessage(), e);
    }
  }
}
