package ma3c.env.ale;

/** A ROM is missing, unreadable, or not one ALE supports. */
public class RomException extends Exception {
  public RomException(String message) {
    super(message);
  }
}
