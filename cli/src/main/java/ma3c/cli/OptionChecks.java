package ma3c.cli;

import com.google.common.net.HostAndPort;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks of option values before a command does any work; a failure is a usage error (exit 2)
 * naming the option and what it takes.
 */
public final class OptionChecks {
  private OptionChecks() {}

  public static void range(CommandSpec spec, String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw usage(spec, option + " must be in " + min + ".." + max + ", got " + value);
    }
  }

  public static void atLeast(CommandSpec spec, String option, long value, long min) {
    if (value < min) {
      throw usage(spec, option + " must be at least " + min + ", got " + value);
    }
  }

  public static void atLeast(CommandSpec spec, String option, Duration value, Duration min) {
    if (value.compareTo(min) < 0) {
      throw usage(spec, option + " must be at least " + min + ", got " + value);
    }
  }

  public static void range(CommandSpec spec, String option, Duration value, Duration min, Duration max) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw usage(spec, option + " must be in " + min + ".." + max + ", got " + value);
    }
  }

  public static void directory(CommandSpec spec, String option, Path dir) {
    if (!Files.exists(dir)) {
      throw usage(spec, option + " " + dir + ": no such directory");
    }
    if (!Files.isDirectory(dir)) {
      throw usage(spec, option + " " + dir + ": not a directory");
    }
  }

  /** A directory a command will write into: there already, or to be made (no file in the way). */
  public static void directoryToWrite(CommandSpec spec, String option, Path dir) {
    Path absolute = dir.toAbsolutePath();
    for (Path p = absolute; p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          throw usage(spec, option + " " + dir + ": " + (p.equals(absolute) ? "" : p + " is ")
              + "not a directory");
        }
        return;
      }
    }
  }

  public static void file(CommandSpec spec, String option, Path file) {
    if (!Files.exists(file)) {
      throw usage(spec, option + " " + file + ": no such file");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw usage(spec, option + " " + file + ": not a readable file");
    }
  }

  /** The address {@code host} names (an IP literal needs no lookup). */
  public static InetAddress address(CommandSpec spec, String option, String host) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw usage(spec, option + " " + host + ": unknown host or address");
    }
  }

  /**
   * {@code host:port} with a port in 1..65535 (IPv6 literals in brackets: {@code [::1]:50051});
   * spaces around it, as in {@code "a:1, b:2"}, are ignored. The host must be one gRPC can dial
   * (a URI authority's): gRPC's channel builders throw IllegalArgumentException on the others.
   */
  public static HostPort hostPort(CommandSpec spec, String option, String value) {
    String malformed = option + " must be host:port with a port in 1..65535, got '" + value + "'";
    HostAndPort parsed;
    try {
      parsed = HostAndPort.fromString(value.trim()).requireBracketsForIPv6();
    } catch (IllegalArgumentException e) {
      throw usage(spec, malformed);
    }
    if (parsed.getHost().isEmpty() || !parsed.hasPort() || parsed.getPort() < 1) {
      throw usage(spec, malformed);
    }
    try {
      new URI(null, null, parsed.getHost(), parsed.getPort(), null, null, null);
    } catch (URISyntaxException e) {
      throw usage(spec, malformed + ": '" + parsed.getHost() + "' is not a host name or an IP address");
    }
    return new HostPort(parsed.getHost(), parsed.getPort());
  }

  /** A server address given on the command line. */
  public record HostPort(String host, int port) {
    /** {@code host:port}, an IPv6 literal in brackets: what gRPC's targets take. */
    @Override
    public String toString() {
      return HostAndPort.fromParts(host, port).toString();
    }
  }

  public static ParameterException usage(CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
