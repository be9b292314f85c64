package ma3c.env.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import ma3c.cli.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The serving command checks its options before it listens, and reports failures in one line. */
class EnvServiceMainTest {
  private record Run(int exitCode, String err) {
    List<String> lines() {
      return err.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  private static Run run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine command = EnvServiceMain.commandLine()
        .setErr(new PrintWriter(err, true))
        .setOut(new PrintWriter(new StringWriter(), true));
    // A check that let a bad value through would start a server that never returns.
    int code = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> command.execute(args));
    return new Run(code, err.toString());
  }

  @Test
  void eachBadOptionIsOneUsageLineNamingIt(@TempDir Path roms) throws Exception {
    Path file = Files.writeString(roms.resolve("a-file"), "not a directory");
    String dir = roms.toString();
    String[][] cases = {
        {"--max-sessions", "0"},
        {"--max-sessions", "-3"},
        {"--max-sessions-per-client", "-1"},
        {"--idle-timeout", "PT0S"},
        {"--idle-timeout", "PT-5S"},
        {"--idle-timeout", "5 minutes"},
        {"--max-message-bytes", "1024"},
        {"--max-message-bytes", "2147483647"},
        {"--port", "65536"},
        {"--port", "-1"},
        {"--port", "http"},
        {"--bind", "203.0.113.7"},
        {"--bind", " "},
    };
    for (String[] bad : cases) {
      Run run = run("--rom-dir", dir, bad[0], bad[1]);
      assertUsageError(run, bad[0]);
    }
    assertUsageError(run("--rom-dir", dir, "--tls-cert", file.toString()), "--tls-cert");
    assertUsageError(run("--rom-dir", dir, "--tls-key", file.toString()), "--tls-key");
    assertUsageError(run("--rom-dir", dir, "--tls-cert", file.toString(), "--tls-key", file.toString()),
        "--tls-cert");
    assertUsageError(run("--rom-dir", dir, "--token-file", "/nonexistent"), "--token-file");
    Path empty = Files.writeString(roms.resolve("empty-token"), "\n");
    assertUsageError(run("--rom-dir", dir, "--token-file", empty.toString()), "--token-file");
    assertUsageError(run("--rom-dir", "/nonexistent"), "--rom-dir");
    assertUsageError(run("--rom-dir", file.toString()), "--rom-dir");
  }

  private static void assertUsageError(Run run, String option) {
    assertEquals(2, run.exitCode(), option + ": " + run.err());
    assertEquals(1, run.lines().size(), "one line: " + run.err());
    assertTrue(run.err().contains(option), run.err());
    assertFalse(run.err().contains("Exception"), run.err());
  }

  @Test
  void aFailureToStartIsOneLineAndItsStackTraceOnlyWhenVerbose(@TempDir Path roms) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String port = String.valueOf(taken.getLocalPort());
      Run quiet = run("--rom-dir", roms.toString(), "--port", port);
      assertEquals(1, quiet.exitCode(), quiet.err());
      assertEquals(1, quiet.lines().size(), quiet.err());
      assertTrue(quiet.err().contains("Failed to bind"), quiet.err());
      Run verbose = run("--rom-dir", roms.toString(), "--port", port, "--verbose");
      assertEquals(1, verbose.exitCode(), verbose.err());
      assertTrue(verbose.err().contains("\tat "), "a stack trace: " + verbose.err());
    }
  }

  /** The metrics port's option and address, not the bare "Address already in use"; the server stopped. */
  @Test
  void aBusyMetricsPortIsNamed(@TempDir Path roms) throws Exception {
    int serverPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      serverPort = free.getLocalPort();
    }
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Run run = run("--rom-dir", roms.toString(), "--port", String.valueOf(serverPort),
          "--metrics-port", String.valueOf(port));
      assertEquals(1, run.exitCode(), run.err());
      assertEquals(1, run.lines().size(), run.err());
      assertTrue(run.err().startsWith("ma3c-env: --metrics-port " + port + ": cannot listen on 127.0.0.1:"
          + port + ": "), run.err());
    }
    // The server's port is free again (its listening socket closes asynchronously).
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> {
          new ServerSocket(serverPort, 1, InetAddress.getLoopbackAddress()).close();
          return true;
        });
  }

  @Test
  void everyCommandPrintsTheProjectVersion() {
    CommandRun.assertEveryCommandPrintsTheVersion(EnvServiceMain::commandLine);
  }

  @Test
  void itListensOnLoopbackUnlessToldOtherwise() {
    EnvServiceMain main = new EnvServiceMain();
    new CommandLine(main).parseArgs();
    // ENV_BIND is not set where the tests run; the image sets it to 0.0.0.0.
    assertEquals("127.0.0.1", main.serve.bind);
  }
}
