package ma3c.model.onnx;

/**
 * A model file the server will not serve. The message is the reason in plain words, fit to tell a
 * client: never a server path or ONNX Runtime's own wording (that stays in the cause, for the log).
 */
public final class ModelRefusedException extends Exception {
  private final String game;

  /** {@code game}: the game the file's metadata claim, or null when it cannot be read. */
  public ModelRefusedException(String game, String reason, Throwable cause) {
    super(reason, cause);
    this.game = game;
  }

  public ModelRefusedException(String game, String reason) {
    this(game, reason, null);
  }

  /** The game the file claims to be for, or null. */
  public String game() {
    return game;
  }
}
