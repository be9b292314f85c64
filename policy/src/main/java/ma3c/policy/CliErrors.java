package ma3c.policy;

import java.io.PrintWriter;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;

/**
 * How the policy commands report failures: one line on stderr, exit 2 for a usage error (bad or
 * missing option, checked before any work) and 1 for a failure while working; the stack trace
 * only with --verbose. Picocli's defaults would print the whole usage text, or a stack trace.
 */
final class CliErrors {
  private CliErrors() {}

  static CommandLine install(CommandLine commandLine, BooleanSupplier verbose) {
    commandLine.setParameterExceptionHandler((ex, args) -> {
      CommandLine cmd = ex.getCommandLine();
      cmd.getErr().println(prefix(cmd) + oneLine(ex.getMessage()) + " (see --help)");
      if (verbose.getAsBoolean()) {
        ex.printStackTrace(cmd.getErr());
      }
      return cmd.getCommandSpec().exitCodeOnInvalidInput();
    });
    commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
      PrintWriter err = cmd.getErr();
      if (ex instanceof CommandFailedException) {
        err.println(prefix(cmd) + oneLine(ex.getMessage()));
      } else {
        err.println(prefix(cmd) + ex.getClass().getSimpleName()
            + (ex.getMessage() == null ? "" : ": " + oneLine(ex.getMessage()))
            + (verbose.getAsBoolean() ? "" : " (--verbose for the stack trace)"));
      }
      if (verbose.getAsBoolean()) {
        ex.printStackTrace(err);
      }
      return cmd.getCommandSpec().exitCodeOnExecutionException();
    });
    return commandLine;
  }

  private static String prefix(CommandLine cmd) {
    return cmd.getCommandSpec().qualifiedName() + ": ";
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
