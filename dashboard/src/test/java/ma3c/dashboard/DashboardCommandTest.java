package ma3c.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import ma3c.cli.CliErrors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DashboardCommandTest {
  @TempDir
  Path dir;

  private record Result(int exit, String err) {}

  private static Result run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = CliErrors.install(new CommandLine(new DashboardCommand()));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Result(exit, err.toString());
  }

  @Test
  void aMissingDirectoryIsAUsageError() {
    Result r = run(dir.resolve("nope").toString());
    assertEquals(2, r.exit());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("nope: no such directory"), r.err());
  }

  @Test
  void aPortOutOfRangeIsAUsageError() {
    Result r = run("--port", "70000", dir.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--port must be in 0..65535"), r.err());
  }

  @Test
  void aPortInUseIsOneLineAndExit1() throws Exception {
    try (DashboardServer busy = DashboardServer.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), List.of(dir))) {
      Result r = run("--port", String.valueOf(busy.port()), dir.toString());
      assertEquals(1, r.exit());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().contains("cannot serve the dashboard on 127.0.0.1:" + busy.port()), r.err());
      assertFalse(r.err().contains("at ma3c."), "no stack trace without --verbose");
    }
  }
}
