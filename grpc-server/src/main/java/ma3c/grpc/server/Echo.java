package ma3c.grpc.server;

/**
 * A client's own text quoted back in an error, cut short: a status description travels in the
 * trailers, whose size is limited, and a long echo would turn the error into another one.
 */
public final class Echo {
  /** The most characters of a client's text an error quotes. */
  public static final int MAX_CHARS = 64;

  private Echo() {}

  public static String of(String text) {
    return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "...";
  }
}
