package ma3c.env.ale;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of the Arcade Learning Environment this build emulates games with: scores depend on
 * it (ROM support, emulation details), so evaluations record it. Read from a resource that Maven
 * fills in from the pom, the one place the version is chosen.
 */
public final class AleVersion {
  private AleVersion() {}

  /** ALE's own version, e.g. "0.7.3" (the bytedeco artifact 0.7.3-1.5.7 without its presets part). */
  public static String version() {
    try (InputStream in = AleVersion.class.getResourceAsStream("ale.properties")) {
      if (in == null) {
        throw new IllegalStateException("ale.properties is missing from the ma3c-env-service jar");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("artifact").split("-", 2)[0];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
