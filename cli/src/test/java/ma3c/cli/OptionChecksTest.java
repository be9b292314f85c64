package ma3c.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

class OptionChecksTest {
  private final CommandSpec spec = new CommandLine(CommandSpec.create()).getCommandSpec();

  /** What a server address on the command line becomes: the gRPC target the clients dial. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "localhost:50051|localhost:50051",
      "' env:1 '|env:1",
      "[::1]:50051|[::1]:50051",
      "10.0.0.7:65535|10.0.0.7:65535"})
  void acceptsHostAndPort(String given, String target) {
    assertEquals(target, OptionChecks.hostPort(spec, "--env", given).toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "h:0", "h:99999", ":50051", "::1:50051", "h:p", ""})
  void refusesAnythingElseNamingTheOption(String given) {
    ParameterException e = assertThrows(ParameterException.class,
        () -> OptionChecks.hostPort(spec, "--env", given));
    assertTrue(e.getMessage().startsWith("--env must be host:port"), e.getMessage());
  }
}
