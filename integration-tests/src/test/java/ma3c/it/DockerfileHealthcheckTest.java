package ma3c.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The images' HEALTHCHECKs run `health` with no --address, so that it asks where the server
 * listens: the health command follows the same ENV_BIND/ENV_PORT (POLICY_BIND/POLICY_PORT) as the
 * server, where a fixed 127.0.0.1 misses a server bound to another address. No Docker needed.
 */
class DockerfileHealthcheckTest {
  private static final Pattern HEALTHCHECK = Pattern.compile(
      "^HEALTHCHECK [^\\n]*\\\\\\n\\s*CMD (\\[[^\\]]*\\])", Pattern.MULTILINE);

  @Test
  void eachServerImageAsksItsOwnDefaultAddress() throws IOException {
    // Surefire runs in the module's folder; the Dockerfile is at the repository's root.
    String dockerfile = Files.readString(Path.of("..", "Dockerfile"));
    Matcher m = HEALTHCHECK.matcher(dockerfile);
    List<String> commands = m.results().map(r -> r.group(1).replaceAll("\\s+", " ")).toList();
    assertEquals(2, commands.size(), "the env service's and the policy server's: " + commands);
    for (String command : commands) {
      assertTrue(command.endsWith("\"health\"]"), command);
    }
  }
}
