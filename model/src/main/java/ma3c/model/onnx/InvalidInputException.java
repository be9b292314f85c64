package ma3c.model.onnx;

/**
 * An observation or recurrent state that does not fit the model; the message tells the client
 * what to send instead. Its own type so that only our checks become INVALID_ARGUMENT, never an
 * IllegalArgumentException from deeper down.
 */
public final class InvalidInputException extends RuntimeException {
  public InvalidInputException(String message) {
    super(message);
  }
}
