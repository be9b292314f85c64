package ma3c.model;

/**
 * Which parameters the games share (Wang & Yang, section 3). The conv and fc trunk is always
 * shared; the policy and value heads are always per game; the LSTM is what sets them apart.
 */
public enum Architecture {
  /** Single-game A3C: the baseline. */
  A3C("a3c"),
  /** MA3C-1: conv + fc shared; LSTM and heads per game. */
  MA3C_1("ma3c-1"),
  /** MA3C-2: conv + fc + LSTM shared; heads per game. */
  MA3C_2("ma3c-2");

  private final String id;

  Architecture(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** Whether the LSTM's parameters exist once per game. */
  public boolean lstmPerGame() {
    return this == MA3C_1;
  }

  public static Architecture of(String id) {
    for (Architecture a : values()) {
      if (a.id.equalsIgnoreCase(id) || a.name().equalsIgnoreCase(id)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown architecture '" + id + "': use a3c, ma3c-1 or ma3c-2");
  }

  @Override
  public String toString() {
    return id;
  }
}
