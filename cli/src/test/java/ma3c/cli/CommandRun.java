package ma3c.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
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

  /**
   * {@code -V} and {@code --version} on a program and on each of its subcommands: exit 0 and
   * "<command> <project version>" (e.g. "ma3c train 0.1.0-SNAPSHOT"), not the unfiltered property.
   */
  public static void assertEveryCommandPrintsTheVersion(Supplier<CommandLine> program) {
    List<List<String>> commands = new ArrayList<>(List.of(List.of()));
    program.get().getSubcommands().keySet().forEach(name -> commands.add(List.of(name)));
    for (List<String> command : commands) {
      for (String flag : List.of("-V", "--version")) {
        List<String> args = new ArrayList<>(command);
        args.add(flag);
        CommandRun r = of(program.get(), args.toArray(String[]::new));
        String name = String.join(" ", program.get().getCommandName(), String.join(" ", command)).strip();
        assertEquals(0, r.exit(), args + ": " + r.err());
        assertTrue(r.out().strip().matches(Pattern.quote(name) + " \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"),
            args + " printed '" + r.out() + "'");
      }
    }
  }

  /** A usage error: exit 2 and one line on stderr, containing {@code expected}. */
  public void assertUsageError(String expected) {
    assertEquals(2, exit, err);
    assertEquals(1, errLines().size(), err);
    assertTrue(err.contains(expected), err);
  }
}
