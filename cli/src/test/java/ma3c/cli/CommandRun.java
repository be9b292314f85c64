package ma3c.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * A command line run as a user runs it, with its exit code and what it printed: for the tests of
 * the three programs' command lines (in the cli test-jar).
 */
public record CommandRun(int exit, String out, String err) {
  /** Runs {@code args} on {@code cli} (a fresh CommandLine each time), keeping stdout and stderr. */
  public static CommandRun of(CommandLine cli, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new CommandRun(exit, out.toString(), err.toString());
  }

  public List<String> errLines() {
    return err.lines().toList();
  }

  /** A usage error: exit 2 and one line on stderr, containing {@code expected}. */
  public void assertUsageError(String expected) {
    assertEquals(2, exit, err);
    assertEquals(1, errLines().size(), err);
    assertTrue(err.contains(expected), err);
  }
}
