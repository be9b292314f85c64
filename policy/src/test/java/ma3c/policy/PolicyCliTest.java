package ma3c.policy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import ma3c.cli.CommandRun;
import ma3c.cli.HealthCheckCommand;
import picocli.CommandLine;

/** The policy commands' options, exit codes and error lines. */
@Timeout(60) // a command that should have refused its options may be serving instead
class PolicyCliTest {
  @TempDir Path dir;

  private static CommandRun run(String... args) {
    return CommandRun.of(PolicyMain.commandLine(), args);
  }

  private static void usageError(String expected, String... args) {
    run(args).assertUsageError(expected);
  }

  @Test
  void aMissingModelDirectoryOrAFileIsAUsageError() throws Exception {
    usageError("--models " + dir.resolve("nope") + ": no such directory",
        "--models", dir.resolve("nope").toString());
    Path file = Files.writeString(dir.resolve("file"), "x");
    usageError("not a directory", "--models", file.toString());
  }

  /** A busy metrics port is named as such, not blamed on --port; the server it started is stopped. */
  @Test
  void aBusyMetricsPortIsNamed() throws Exception {
    int serverPort = freePort();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      CommandRun r = run("--models", dir.toString(), "--port", String.valueOf(serverPort),
          "--metrics-port", String.valueOf(port));
      assertEquals(1, r.exit(), r.err());
      assertEquals(1, r.errLines().size(), r.err());
      assertTrue(r.err().startsWith("ma3c-policy: --metrics-port " + port + ": cannot listen on 127.0.0.1:"
          + port + ": "), r.err());
    }
    // The server's port is free again (its listening socket closes asynchronously).
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> {
          new ServerSocket(serverPort, 1, InetAddress.getLoopbackAddress()).close();
          return true;
        });
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** `ma3c-policy health` asks the policy server's port (50052, or $POLICY_PORT), not the env service's. */
  @Test
  void healthAsksThePolicyServerByDefault() throws Exception {
    String help = run("health", "--help").out().replaceAll("\\s+", " ");
    String port = System.getenv().getOrDefault("POLICY_PORT", "50052");
    assertTrue(help.contains("Default: 127.0.0.1:" + port + ","), help);
    PolicyServer server = PolicyServer.tcp(InetAddress.getLoopbackAddress(), 0, dir, Duration.ofSeconds(1))
        .start();
    try {
      CommandLine health = new CommandLine(
          new HealthCheckCommand(PolicyMain.LISTEN, Map.of("POLICY_PORT", String.valueOf(server.port()))));
      assertEquals(0, health.execute());
    } finally {
      server.stop(Duration.ofSeconds(5));
    }
  }

  @Test
  void everyCommandPrintsTheProjectVersion() {
    CommandRun.assertEveryCommandPrintsTheVersion(PolicyMain::commandLine);
  }

  @Test
  void numericOptionsAreRangeChecked() {
    usageError("--port must be in 0..65535, got 70000", "--port", "70000", "--models", dir.toString());
    usageError("--port must be in 0..65535, got -1", "--port", "-1", "--models", dir.toString());
    usageError("--reload-every must be at least", "--reload-every", "PT0S", "--models", dir.toString());
    usageError("--port", "--port", "many");
    usageError("--calls must be at least 1", "bench", "--calls", "0");
    usageError("--clients must be in 1..4096, got 0", "bench", "--clients", "0");
    usageError("--max-batch must be in 1..4096, got 0", "--max-batch", "0", "--models", dir.toString());
    usageError("--max-wait must be in PT0S..PT1S, got PT2S", "--max-wait", "PT2S", "--models", dir.toString());
    usageError("--batch-workers must be in 1..1024, got 0", "--batch-workers", "0", "--models", dir.toString());
  }

  @Test
  void theServerBindsToLoopbackUnlessAsked() throws Exception {
    assumeTrue(System.getenv("POLICY_BIND") == null, "POLICY_BIND is set in this environment");
    PolicyMain main = new PolicyMain();
    new CommandLine(main).parseArgs("--models", dir.toString());
    assertEquals("127.0.0.1", main.bind);
    PolicyServer server = PolicyServer.tcp(InetAddress.getByName(main.bind), 0, dir,
        Duration.ofSeconds(1)).start();
    try {
      InetSocketAddress address = (InetSocketAddress) server.listenAddresses().get(0);
      assertTrue(address.getAddress().isLoopbackAddress(), address.toString());
    } finally {
      server.stop(Duration.ofSeconds(1));
    }
    new CommandLine(main).parseArgs("--bind", "0.0.0.0");
    assertEquals("0.0.0.0", main.bind);
  }
}
