package ma3c.cli;

import java.util.Map;

/**
 * Where a server listens when its command line does not say: on loopback, at the port in the
 * environment variable {@code portVariable}, else {@code port}. Its {@code health} command asks
 * there unless given --address.
 */
public record ListenDefaults(String portVariable, int port) {
  public static final String LOOPBACK = "127.0.0.1";

  /** The server's address by default, under the environment {@code env}. */
  public String address(Map<String, String> env) {
    String listening = env.get(portVariable);
    return LOOPBACK + ":" + (listening == null || listening.isBlank() ? port : listening.strip());
  }
}
