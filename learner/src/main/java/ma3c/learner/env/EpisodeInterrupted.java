package ma3c.learner.env;

/** The env session was lost mid-episode and has been re-opened: start a new episode. */
public final class EpisodeInterrupted extends Exception {
  public EpisodeInterrupted(String message) {
    super(message);
  }
}
