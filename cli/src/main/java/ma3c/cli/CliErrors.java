package ma3c.cli;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * How every MA3C command line (env service, learner, policy server) reports failures: one line on
 * stderr naming the command and the reason. A bad option exits 2 (picocli's usage error); a
 * failure to run (a port in use, a corrupt checkpoint) exits 1, with its stack trace only under
 * --verbose. Picocli's defaults would print the whole usage text, or a stack trace.
 */
public final class CliErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {
  public static final String VERBOSE = "--verbose";

  public static CommandLine install(CommandLine commandLine) {
    CliErrors errors = new CliErrors();
    return commandLine.setParameterExceptionHandler(errors).setExecutionExceptionHandler(errors);
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    command.getErr().println(command.getCommandSpec().qualifiedName() + ": "
        + oneLine(e.getMessage()) + " (see --help)");
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
    PrintWriter err = command.getErr();
    boolean verbose = verbose(parsed);
    err.println(command.getCommandSpec().qualifiedName() + ": " + oneLine(reasons(e))
        + (verbose ? "" : " (--verbose for the stack trace)"));
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return command.getCommandSpec().exitCodeOnExecutionException();
  }

  private static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption(VERBOSE)) {
        return true;
      }
    }
    return false;
  }

  /** The messages of an exception and its causes, e.g. "Failed to bind to ...: Address already in use". */
  private static String reasons(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = message(t);
      if (text.indexOf(gist(t, message)) < 0) {
        text.append(text.length() == 0 ? "" : ": ").append(message);
      }
    }
    return text.toString();
  }

  /** What a cause says that is new: a gRPC status ("CODE: description") quoted already says nothing. */
  private static String gist(Throwable t, String message) {
    Status status = t instanceof StatusRuntimeException s ? s.getStatus()
        : t instanceof StatusException s ? s.getStatus() : null;
    return status == null || status.getDescription() == null ? message : status.getDescription();
  }

  /** File errors carry only the path as their message: say what happened to it. */
  private static String message(Throwable t) {
    if (t instanceof NoSuchFileException) {
      return "no such file: " + t.getMessage();
    }
    if (t instanceof AccessDeniedException) {
      return "permission denied: " + t.getMessage();
    }
    if (t instanceof FileSystemException) {
      return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
