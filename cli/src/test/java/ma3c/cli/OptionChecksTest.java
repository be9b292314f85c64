package ma3c.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
  @ValueSource(strings = {"localhost", "h:0", "h:99999", ":50051", "::1:50051", "h:p", "",
      "a b:50051", "999.1.1.1:50051", "h%:1"})
  void refusesAnythingElseNamingTheOption(String given) {
    ParameterException e = assertThrows(ParameterException.class,
        () -> OptionChecks.hostPort(spec, "--env", given));
    assertTrue(e.getMessage().startsWith("--env must be host:port"), e.getMessage());
  }

  /** Where a command will write: a directory there or not yet there, never a file in the way. */
  @Test
  void aDirectoryToWriteMayBeMissingButNotAFile(@TempDir Path dir) throws IOException {
    OptionChecks.directoryToWrite(spec, "--out", dir);
    OptionChecks.directoryToWrite(spec, "--out", dir.resolve("new/deeper"));
    Path file = Files.writeString(dir.resolve("file"), "x");
    ParameterException e = assertThrows(ParameterException.class,
        () -> OptionChecks.directoryToWrite(spec, "--out", file));
    assertEquals("--out " + file + ": not a directory", e.getMessage());
    e = assertThrows(ParameterException.class,
        () -> OptionChecks.directoryToWrite(spec, "--out", file.resolve("sub")));
    assertEquals("--out " + file.resolve("sub") + ": " + file + " is not a directory", e.getMessage());
  }
}
