package ma3c.cli.security;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options of a command that calls a secured server: --tls-ca and --token-file. */
public final class ClientSecurityOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--tls-ca",
      description = "Connect with TLS, trusting the CA certificate(s) in this PEM file.")
  Path tlsCa;

  @Option(names = "--token-file",
      description = "Send `authorization: Bearer <token>` on every call, the token being this"
          + " file's first line.")
  Path tokenFile;

  /** The checked settings (a usage error names an unreadable file, or a CA file that is not PEM). */
  public ClientSecurity security() {
    String ca = readable("--tls-ca", tlsCa);
    if (ca != null) {
      PemFiles.requireCertificates(spec, "--tls-ca", tlsCa);
    }
    return new ClientSecurity(ca, readable("--token-file", tokenFile));
  }

  /** Whether either option was given. */
  public boolean given() {
    return tlsCa != null || tokenFile != null;
  }

  private String readable(String option, Path file) {
    if (file == null) {
      return null;
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ParameterException(spec.commandLine(), option + ": no readable file at " + file);
    }
    return file.toAbsolutePath().toString();
  }
}
