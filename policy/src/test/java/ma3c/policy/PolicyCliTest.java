package ma3c.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The policy commands' options, exit codes and error lines. */
@Timeout(60) // a command that should have refused its options may be serving instead
class PolicyCliTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  private static Run run(String... args) {
    CommandLine cmd = PolicyMain.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** A usage error: exit 2 and one line on stderr, containing {@code expected}. */
  private static void usageError(String expected, String... args) {
    Run r = run(args);
    assertEquals(2, r.exit(), r.err());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains(expected), r.err());
  }

  @Test
  void aMissingModelDirectoryOrAFileIsAUsageError() throws Exception {
    usageError("--models " + dir.resolve("nope") + ": no such directory",
        "--models", dir.resolve("nope").toString());
    Path file = Files.writeString(dir.resolve("file"), "x");
    usageError("not a directory", "--models", file.toString());
  }

  @Test
  void numericOptionsAreRangeChecked() {
    usageError("--port must be in 0..65535, got 70000", "--port", "70000", "--models", dir.toString());
    usageError("--port must be in 0..65535, got -1", "--port", "-1", "--models", dir.toString());
    usageError("--reload-every must be at least", "--reload-every", "PT0S", "--models", dir.toString());
    usageError("--port", "--port", "many");
    usageError("--calls must be at least 1", "bench", "--calls", "0");
    usageError("--clients must be at least 1", "bench", "--clients", "0");
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
