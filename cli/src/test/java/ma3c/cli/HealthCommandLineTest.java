package ma3c.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The health command's options, as the env service's and the policy server's `health` parse them. */
class HealthCommandLineTest {
  private static CommandLine health() {
    return CliErrors.install(new CommandLine(
        new HealthCheckCommand(new ListenDefaults("A_BIND", "A_PORT", 1234), Map.of())));
  }

  /** As with a missing file: exit 2 and the option named, not exit 1 with "Unable to create SslContext". */
  @Test
  void aCaFileThatIsNotPemIsAUsageError(@TempDir Path dir) throws Exception {
    Path notPem = Files.writeString(dir.resolve("ca.txt"), "not a certificate\n");
    CommandRun.of(health(), "--address", "127.0.0.1:1", "--tls-ca", notPem.toString())
        .assertUsageError("--tls-ca: no PEM certificate in " + notPem);
  }

  /** Not a host gRPC can dial: a usage error before any channel is built (it would throw). */
  @Test
  void aMalformedAddressIsAUsageError() {
    CommandRun.of(health(), "--address", "999.1.1.1:50051")
        .assertUsageError("--address must be host:port with a port in 1..65535, got '999.1.1.1:50051':"
            + " '999.1.1.1' is not a host name or an IP address");
  }

  @Test
  void theHelpSaysWhatTheAddressIsAndItsDefault() {
    String help = CommandRun.of(health(), "--help").out().replaceAll("\\s+", " ");
    assertTrue(help.contains("--address=<address> The server's host:port. Default: 127.0.0.1:1234,"), help);
  }

  @Test
  void itPrintsTheProjectVersion() {
    CommandRun.assertEveryCommandPrintsTheVersion(HealthCommandLineTest::health);
  }
}
