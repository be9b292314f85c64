package ma3c.policy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import ma3c.env.HealthCheckCommand;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Serving exported policies without DL4J: the policy server (default) and play. */
@Command(name = "ma3c-policy", mixinStandardHelpOptions = true,
    description = "Serve exported MA3C policies (ONNX) over gRPC.",
    subcommands = {PlayCommand.class, PolicyBenchmark.class, HealthCheckCommand.class})
public final class PolicyMain implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "${env:POLICY_PORT:-50052}",
      description = "TCP port (env POLICY_PORT; default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--models", defaultValue = "${env:POLICY_MODELS:-models}",
      description = "Directory of exported <game>.onnx files (env POLICY_MODELS; default ${DEFAULT-VALUE}).")
  Path models;

  @Option(names = "--reload-every", defaultValue = "PT2S",
      description = "How often to look for new or changed models, ISO-8601. Default ${DEFAULT-VALUE}.")
  Duration reloadEvery;

  @Override
  public Integer call() throws Exception {
    PolicyServer server = PolicyServer.tcp(port, models, reloadEvery).start();
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

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(new CommandLine(new PolicyMain()).execute(args));
  }
}
