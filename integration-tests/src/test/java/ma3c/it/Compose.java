package ma3c.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs `docker compose` on the repository's docker-compose.yml, as a user would. */
final class Compose {
  static final Path ROOT = Path.of(System.getProperty("ma3c.root", "..")).toAbsolutePath().normalize();

  private final String project;
  private final Map<String, String> env;

  /** {@code env}: the compose variables (MA3C_*, ALE_ROM_DIR) this project runs with. */
  Compose(String project, Map<String, String> env) {
    this.project = project;
    this.env = Map.copyOf(env);
  }

  /** What a finished command printed (stdout and stderr together) and its exit code. */
  record Result(int exitCode, String output) {}

  /** Runs {@code docker compose <args>} and waits up to {@code timeoutSeconds}. */
  Result run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker", "compose",
        "-f", ROOT.resolve("docker-compose.yml").toString(), "-p", project));
    command.addAll(List.of(args));
    Path log = Files.createTempFile("compose-", ".log");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError(String.join(" ", command) + " still running after "
            + timeoutSeconds + " s:\n" + tail(Files.readString(log)));
      }
      return new Result(process.exitValue(), Files.readString(log));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** Like run, but a non-zero exit fails the test with the output's tail. */
  String runOk(long timeoutSeconds, String... args) throws IOException, InterruptedException {
    Result r = run(timeoutSeconds, args);
    if (r.exitCode() != 0) {
      throw new AssertionError("docker compose " + String.join(" ", args) + " exited "
          + r.exitCode() + ":\n" + tail(r.output()));
    }
    return r.output();
  }

  static String tail(String output) {
    return output.length() <= 6000 ? output : "..." + output.substring(output.length() - 6000);
  }
}
