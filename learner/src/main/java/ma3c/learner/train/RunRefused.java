package ma3c.learner.train;

/** A training call that would not train what it was asked to (the planner says why). */
public final class RunRefused extends IllegalArgumentException {
  public RunRefused(String message) {
    super(message);
  }
}
