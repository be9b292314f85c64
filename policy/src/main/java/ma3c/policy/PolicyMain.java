package ma3c.policy;

import ma3c.cli.VerboseOption;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import ma3c.cli.CliErrors;
import ma3c.cli.CommandFailedException;
import ma3c.cli.HealthCheckCommand;
import ma3c.cli.ListenDefaults;
import ma3c.cli.OptionChecks;
import ma3c.cli.ProjectVersion;
import ma3c.cli.metrics.MetricsOptions;
import ma3c.grpc.server.security.ServerSecurity;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** Serving exported policies without DL4J or an emulator: the policy server (default), bench, health. */
@Command(name = "ma3c-policy", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
    description = "Serve exported MA3C policies (ONNX) over gRPC.",
    subcommands = {PolicyBenchmark.class})
public final class PolicyMain implements Callable<Integer> {
  static final String BIND_VARIABLE = "POLICY_BIND";
  static final String PORT_VARIABLE = "POLICY_PORT";
  static final int DEFAULT_PORT = 50052;
  /** Where the server listens by default: its health command asks there. */
  static final ListenDefaults LISTEN = new ListenDefaults(BIND_VARIABLE, PORT_VARIABLE, DEFAULT_PORT);

  @Spec CommandSpec spec;

  // Loopback unless asked: the service has no authentication (the container image sets 0.0.0.0).
  @Option(names = "--bind", defaultValue = "${env:" + BIND_VARIABLE + ":-" + ListenDefaults.LOOPBACK + "}",
      description = "Address to listen on; 0.0.0.0 for every interface (env POLICY_BIND; default ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--port", defaultValue = "${env:" + PORT_VARIABLE + ":-" + DEFAULT_PORT + "}",
      description = "TCP port, 0 for any free one (env POLICY_PORT; default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--models", defaultValue = "${env:POLICY_MODELS:-models}",
      description = "Existing directory of exported <game>.onnx files (env POLICY_MODELS; default ${DEFAULT-VALUE}).")
  Path models;

  @Option(names = "--reload-every", defaultValue = "PT2S",
      description = "How often to look for new or changed models, ISO-8601. Default ${DEFAULT-VALUE}.")
  Duration reloadEvery;

  @Option(names = "--max-batch", defaultValue = "" + Batching.DEFAULT_MAX_BATCH,
      description = "Concurrent Act calls of one model answered by one run of it; 1: no batching. Default ${DEFAULT-VALUE}.")
  int maxBatch;

  @Option(names = "--max-wait", defaultValue = Batching.DEFAULT_MAX_WAIT,
      description = "Longest a call waits for others to join its batch, ISO-8601. Default ${DEFAULT-VALUE}.")
  Duration maxWait;

  @Option(names = "--batch-workers",
      description = "Threads running batches (default: one per core).")
  Integer batchWorkers;

  @CommandLine.Mixin
  VerboseOption verbose;

  @Mixin
  ServerSecurity security;

  @Mixin
  MetricsOptions metricsOptions;

  @Override
  public Integer call() throws Exception {
    OptionChecks.range(spec, "--port", port, 0, 65535);
    OptionChecks.atLeast(spec, "--reload-every", reloadEvery, Duration.ofMillis(10));
    OptionChecks.directory(spec, "--models", models);
    OptionChecks.range(spec, "--max-batch", maxBatch, 1, 4096);
    OptionChecks.range(spec, "--max-wait", maxWait, Duration.ZERO, Duration.ofSeconds(1));
    if (batchWorkers != null) {
      OptionChecks.range(spec, "--batch-workers", batchWorkers, 1, 1024);
    }
    InetAddress address = OptionChecks.address(spec, "--bind", bind);
    Batching batching = new Batching(maxBatch, maxWait,
        batchWorkers == null ? Batching.defaultWorkers() : batchWorkers);
    PolicyServer server = PolicyServer.tcp(address, port, models, reloadEvery, security.settings(), batching);
    metricsOptions.check();
    try {
      server.start();
    } catch (IOException e) {
      server.stop(Duration.ZERO);
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      throw new CommandFailedException("cannot listen on " + bind + ":" + port + ": "
          + cause.getMessage(), e);
    }
    try {
      metricsOptions.start(address, server.metrics());
    } catch (CommandFailedException e) {
      server.stop(Duration.ZERO);
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.stop(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "policy-shutdown"));
    server.blockUntilShutdown();
    return 0;
  }

  /** The command line with its error handling (see CliErrors). */
  static CommandLine commandLine() {
    return CliErrors.install(new CommandLine(new PolicyMain())
        .addSubcommand(new HealthCheckCommand(LISTEN)));
  }

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(commandLine().execute(args));
  }
}
