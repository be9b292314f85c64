package ma3c.model.onnx;

/**
 * Checks what a client sends against the model's graph, so that a bad request is answered with
 * what to send instead of reaching ONNX Runtime.
 */
final class InputCheck {
  private InputCheck() {}

  static void observation(String game, GraphShapes shapes, int bytes) {
    if (bytes != shapes.observationSize()) {
      throw new InvalidInputException("observation has " + bytes + " bytes; " + game + " takes "
          + shapes.observationSize() + " (" + shapes.frames() + " x " + shapes.height() + " x "
          + shapes.width() + " uint8)");
    }
  }

  /**
   * The state (h, c) to feed: zeros when both are empty (an episode's start), else both exactly
   * the graph's state size and finite. A feed-forward model takes none: a client sending one has
   * mixed up its models, which silently ignoring the state would hide.
   */
  static float[][] state(String game, GraphShapes shapes, float[] h, float[] c) {
    boolean noH = h == null || h.length == 0;
    boolean noC = c == null || c.length == 0;
    if (!shapes.recurrent()) {
      if (!noH || !noC) {
        throw new InvalidInputException(game + " is feed-forward and takes no recurrent state: "
            + "send h and c empty");
      }
      return new float[0][];
    }
    if (noH && noC) {
      return new float[][] {new float[shapes.stateSize()], new float[shapes.stateSize()]};
    }
    if (noH || noC) {
      throw new InvalidInputException("h and c go together: send both from the previous "
          + "ActResponse, or neither at an episode's start");
    }
    return new float[][] {checked(game, shapes, "h", h), checked(game, shapes, "c", c)};
  }

  private static float[] checked(String game, GraphShapes shapes, String name, float[] s) {
    if (s.length != shapes.stateSize()) {
      throw new InvalidInputException(name + " has " + s.length + " values; " + game
          + "'s recurrent state has " + shapes.stateSize() + " (or none at an episode's start)");
    }
    for (int i = 0; i < s.length; i++) {
      if (!Float.isFinite(s[i])) {
        throw new InvalidInputException(name + "[" + i + "] is " + s[i]
            + "; the recurrent state must be finite");
      }
    }
    return s;
  }
}
