package ma3c.policy;

import java.net.InetAddress;
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
final class OptionChecks {
  private OptionChecks() {}

  static void range(CommandSpec spec, String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw usage(spec, option + " must be in " + min + ".." + max + ", got " + value);
    }
  }

  static void atLeast(CommandSpec spec, String option, long value, long min) {
    if (value < min) {
      throw usage(spec, option + " must be at least " + min + ", got " + value);
    }
  }

  static void atLeast(CommandSpec spec, String option, Duration value, Duration min) {
    if (value.compareTo(min) < 0) {
      throw usage(spec, option + " must be at least " + min + ", got " + value);
    }
  }

  static void directory(CommandSpec spec, String option, Path dir) {
    if (!Files.exists(dir)) {
      throw usage(spec, option + " " + dir + ": no such directory");
    }
    if (!Files.isDirectory(dir)) {
      throw usage(spec, option + " " + dir + ": not a directory");
    }
  }

  static void file(CommandSpec spec, String option, Path file) {
    if (!Files.exists(file)) {
      throw usage(spec, option + " " + file + ": no such file");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw usage(spec, option + " " + file + ": not a readable file");
    }
  }

  /** The address {@code host} names (an IP literal needs no lookup). */
  static InetAddress address(CommandSpec spec, String option, String host) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw usage(spec, option + " " + host + ": unknown host or address");
    }
  }

  /** {@code host:port} with a port in 1..65535. */
  static HostPort hostPort(CommandSpec spec, String option, String value) {
    int colon = value.lastIndexOf(':');
    String port = colon < 0 ? "" : value.substring(colon + 1);
    if (colon <= 0 || !port.matches("\\d{1,5}") || Integer.parseInt(port) < 1
        || Integer.parseInt(port) > 65535) {
      throw usage(spec, option + " must be host:port with a port in 1..65535, got '" + value + "'");
    }
    return new HostPort(value.substring(0, colon), Integer.parseInt(port));
  }

  /** A server address given on the command line. */
  record HostPort(String host, int port) {}

  static ParameterException usage(CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
