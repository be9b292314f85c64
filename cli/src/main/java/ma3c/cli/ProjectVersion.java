package ma3c.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What -V/--version prints for every command of the three programs: its name and the project
 * version, which Maven writes into version.properties from the pom (the one source), with the
 * commit built. A resource
 * rather than the jar manifest: it is there on every class path, also target/classes in tests.
 */
public final class ProjectVersion implements IVersionProvider {
  @Spec CommandSpec spec;

  @Override
  public String[] getVersion() throws IOException {
    return new String[] {spec.qualifiedName() + " " + version()};
  }

  /** The project version, e.g. 0.1.0-SNAPSHOT. */
  public static String version() throws IOException {
    return properties().getProperty("version");
  }

  /**
   * The build: the version and the commit it was built from, e.g. "0.1.0-SNAPSHOT+00a1345", with
   * "-dirty" when the tree had uncommitted changes and "+unknown" when it was built outside git
   * (a source archive, the Docker images). What a run records as the build that trained it.
   */
  public static String build() throws IOException {
    Properties p = properties();
    String commit = p.getProperty("commit", "");
    if (commit.isEmpty() || commit.startsWith("${")) { // not filtered: no git at build time
      return p.getProperty("version") + "+unknown";
    }
    return p.getProperty("version") + "+" + commit + ("true".equals(p.getProperty("dirty")) ? "-dirty" : "");
  }

  private static Properties properties() throws IOException {
    try (InputStream in = ProjectVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IOException("version.properties is missing from the ma3c-cli jar");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties;
    }
  }
}
