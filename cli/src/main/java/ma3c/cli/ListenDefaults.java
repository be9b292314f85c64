package ma3c.cli;

import com.google.common.net.InetAddresses;
import java.util.Map;

/**
 * Where a server listens when its command line does not say: at the address in the environment
 * variable {@code bindVariable}, else on loopback, and at the port in {@code portVariable}, else
 * {@code port}. Its {@code health} command asks there unless given --address (as a container's
 * HEALTHCHECK does), so that it follows the variables the server follows.
 */
public record ListenDefaults(String bindVariable, String portVariable, int port) {
  public static final String LOOPBACK = "127.0.0.1";

  /**
   * The server's address by default, under the environment {@code env}; loopback for a wildcard
   * bind (0.0.0.0, ::), which listens there too.
   */
  public String address(Map<String, String> env) {
    String host = env.getOrDefault(bindVariable, "").strip();
    if (host.isEmpty() || isWildcard(host)) {
      host = LOOPBACK;
    }
    String listening = env.getOrDefault(portVariable, "").strip();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + (listening.isEmpty() ? port : listening);
  }

  /** An IP literal meaning every interface; a host name is never looked up here. */
  private static boolean isWildcard(String host) {
    return InetAddresses.isInetAddress(host) && InetAddresses.forString(host).isAnyLocalAddress();
  }
}
