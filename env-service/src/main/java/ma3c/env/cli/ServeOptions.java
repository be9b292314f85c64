package ma3c.env.cli;

import ma3c.env.EnvServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import ma3c.cli.RomDirOption;
import ma3c.cli.ListenDefaults;
import ma3c.env.ale.RomDirectory;
import ma3c.env.service.SessionRegistry;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The options of the serving command and their checks, made before anything listens: a bad value
 * is a usage error that names the option (exit 2), not a server that half works.
 */
final class ServeOptions {
  /** Requests are small (the largest, an OpenRequest, is well under 1 KiB): these bounds catch typos. */
  static final int MIN_MESSAGE_BYTES = 64 * 1024;
  static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  static final String BIND_VARIABLE = "ENV_BIND";
  static final String PORT_VARIABLE = "ENV_PORT";
  static final int DEFAULT_PORT = 50051;
  /** Where the service listens by default: its health command asks there. */
  static final ListenDefaults LISTEN = new ListenDefaults(BIND_VARIABLE, PORT_VARIABLE, DEFAULT_PORT);

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--port", defaultValue = "${env:" + PORT_VARIABLE + ":-" + DEFAULT_PORT + "}",
      description = "TCP port, 0 for any free one (env ENV_PORT; default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind", defaultValue = "${env:" + BIND_VARIABLE + ":-" + ListenDefaults.LOOPBACK + "}",
      description = "Address to listen on; 0.0.0.0 for every interface (env ENV_BIND; default"
          + " ${DEFAULT-VALUE}; the container image sets 0.0.0.0).")
  String bind;

  @Option(names = "--step-on-transport-threads", defaultValue = "${env:ENV_STEP_ON_TRANSPORT_THREADS:-false}",
      description = "Run each session's steps on its connection's network thread (no hand-off to a"
          + " worker pool): faster for clients with a connection per session (the learner's"
          + " --env-connections), slower for sessions sharing one (env ENV_STEP_ON_TRANSPORT_THREADS).")
  boolean stepOnTransportThreads;

  @Mixin
  RomDirOption roms;

  @Option(names = "--max-sessions", defaultValue = "${env:ENV_MAX_SESSIONS:-64}",
      description = "Most environments open at once (env ENV_MAX_SESSIONS; default ${DEFAULT-VALUE}).")
  int maxSessions;

  @Option(names = "--max-sessions-per-client", defaultValue = "${env:ENV_MAX_SESSIONS_PER_CLIENT:-0}",
      description = "Most environments one client IP address may hold open; 0 for no limit but"
          + " --max-sessions (env ENV_MAX_SESSIONS_PER_CLIENT; default ${DEFAULT-VALUE}).")
  int maxSessionsPerClient;

  @Option(names = "--idle-timeout", defaultValue = "${env:ENV_IDLE_TIMEOUT:-PT5M}",
      converter = IsoDuration.class,
      description = "End sessions idle this long, ISO-8601 (env ENV_IDLE_TIMEOUT; default ${DEFAULT-VALUE}).")
  Duration idleTimeout;

  @Option(names = "--max-message-bytes", defaultValue = "${env:ENV_MAX_MESSAGE_BYTES:-4194304}",
      description = "Largest request accepted, 64 KiB to 64 MiB (env ENV_MAX_MESSAGE_BYTES; default"
          + " ${DEFAULT-VALUE}).")
  int maxMessageBytes;

  /** The server's settings, once every option is checked. */
  EnvServer.Options options() {
    check(maxSessions >= 1, "--max-sessions (ENV_MAX_SESSIONS) must be at least 1, got " + maxSessions);
    check(maxSessionsPerClient >= SessionRegistry.NO_CLIENT_LIMIT, "--max-sessions-per-client"
        + " (ENV_MAX_SESSIONS_PER_CLIENT) must be at least 0 (0 = no limit), got " + maxSessionsPerClient);
    check(idleTimeout.compareTo(Duration.ZERO) > 0,
        "--idle-timeout (ENV_IDLE_TIMEOUT) must be longer than zero, got " + idleTimeout);
    check(maxMessageBytes >= MIN_MESSAGE_BYTES && maxMessageBytes <= MAX_MESSAGE_BYTES,
        "--max-message-bytes (ENV_MAX_MESSAGE_BYTES) must be in [" + MIN_MESSAGE_BYTES + ", "
            + MAX_MESSAGE_BYTES + "], got " + maxMessageBytes);
    return new EnvServer.Options(romDirectory(), maxSessions, idleTimeout, maxMessageBytes,
        maxSessionsPerClient);
  }

  private Path romDirectory() {
    Path dir = RomDirectory.resolve(roms.given());
    String env = System.getenv(RomDirectory.ENV_VAR);
    String option = roms.given() != null ? "--rom-dir"
        : env != null && !env.isBlank() ? "--rom-dir (from $" + RomDirectory.ENV_VAR + ")"
        : "--rom-dir (not given, nor $" + RomDirectory.ENV_VAR + ": ./roms)";
    check(Files.exists(dir), option + ": " + dir.toAbsolutePath() + " does not exist");
    check(Files.isDirectory(dir), option + ": " + dir.toAbsolutePath() + " is not a directory");
    check(Files.isReadable(dir) && Files.isExecutable(dir),
        option + ": " + dir.toAbsolutePath() + " is not readable");
    return dir;
  }

  /** The address to listen on: a literal or a host name of this machine, and the port. */
  InetSocketAddress address() {
    check(port >= 0 && port <= 65535, "--port (ENV_PORT) must be in [0, 65535], got " + port);
    check(!bind.isBlank(), "--bind (ENV_BIND) must not be empty; 0.0.0.0 means every interface");
    InetAddress host;
    try {
      host = InetAddress.getByName(bind);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "--bind (ENV_BIND): unknown host '" + bind + "'");
    }
    check(isLocal(host), "--bind (ENV_BIND): " + bind + " is not an address of this machine");
    return new InetSocketAddress(host, port);
  }

  private static boolean isLocal(InetAddress host) {
    try {
      return host.isAnyLocalAddress() || host.isLoopbackAddress()
          || NetworkInterface.getByInetAddress(host) != null;
    } catch (IOException e) {
      return false;
    }
  }

  /** Duration.parse, failing with the form it expects rather than the parser's exception. */
  static final class IsoDuration implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Duration.parse(value);
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + value + "' is not an ISO-8601 duration such as PT5M or PT30S");
      }
    }
  }

  private void check(boolean ok, String message) {
    if (!ok) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }
}
