package ma3c.learner.algo;

/** Training produced non-finite numbers; the run stops and keeps its last good checkpoint. */
public final class TrainingDiverged extends RuntimeException {
  public TrainingDiverged(String message) {
    super(message);
  }
}
