package ma3c.cli;

/**
 * A command could not do its job for a reason the user can act on (a refused model, a game the
 * env service does not have, ...); the message says it all, so no stack trace is printed.
 */
public final class CommandFailedException extends Exception {
  public CommandFailedException(String message, Throwable cause) {
    super(message, cause);
  }

  public CommandFailedException(String message) {
    super(message);
  }
}
