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

  /** A `docker compose` command in the background; its output collects in a file. */
  static final class Running implements AutoCloseable {
    private final String description;
    private final Process process;
    private final Path log;

    private Running(String description, Process process, Path log) {
      this.description = description;
      this.process = process;
      this.log = log;
    }

    /** What it printed so far (stdout and stderr together). */
    String output() throws IOException {
      return Files.readString(log);
    }

    /** Waits for it to end; fails the test if it is still running after {@code timeoutSeconds}. */
    Result await(long timeoutSeconds) throws IOException, InterruptedException {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new AssertionError(description + " still running after " + timeoutSeconds
            + " s:\n" + tail(output()));
      }
      return new Result(process.exitValue(), output());
    }

    @Override
    public void close() throws IOException, InterruptedException {
      if (process.isAlive()) {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(log);
    }
  }

  /** Starts {@code docker compose <args>} without waiting for it. */
  Running start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("docker", "compose",
        "-f", ROOT.resolve("docker-compose.yml").toString(), "-p", project));
    command.addAll(List.of(args));
    Path log = Files.createTempFile("compose-", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return new Running(String.join(" ", command), builder.start(), log);
  }

  /** Runs {@code docker compose <args>} and waits up to {@code timeoutSeconds}. */
  Result run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
    try (Running running = start(args)) {
      return running.await(timeoutSeconds);
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
