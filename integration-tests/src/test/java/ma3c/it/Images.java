package ma3c.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.testcontainers.utility.DockerImageName;

/**
 * The three images, built from the repository's Dockerfile once per test run (through compose,
 * as `docker compose build` would) under a tag of their own so a user's images are left alone.
 * Docker's layer cache and the Maven cache mount make a rebuild of unchanged sources quick.
 */
final class Images {
  static final String TAG = "it";
  static final DockerImageName ENV = DockerImageName.parse("ma3c/env-service:" + TAG);
  static final DockerImageName LEARNER = DockerImageName.parse("ma3c/learner:" + TAG);
  static final DockerImageName POLICY = DockerImageName.parse("ma3c/policy-server:" + TAG);

  private static boolean built;

  private Images() {}

  static synchronized void build() throws Exception {
    if (built) {
      return;
    }
    new Compose("ma3c-it-build", Map.of("MA3C_TAG", TAG)).runOk(1800, "--profile", "serve", "build");
    built = true;
  }

  /** The ROMs to mount: $ALE_ROM_DIR or ./roms of the repository. */
  static Path roms() {
    String env = System.getenv("ALE_ROM_DIR");
    Path dir = (env != null && !env.isBlank() ? Path.of(env) : Compose.ROOT.resolve("roms"))
        .toAbsolutePath().normalize();
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("pong.bin")),
        "container tests need ROMs: set ALE_ROM_DIR (no pong.bin in " + dir + ")");
    return dir;
  }
}
