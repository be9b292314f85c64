package ma3c.cli.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks of the PEM files the TLS options take, before a server or a channel reads them. */
public final class PemFiles {
  private PemFiles() {}

  /** A usage error unless {@code file} holds X.509 certificates (--tls-cert, --tls-ca). */
  public static void requireCertificates(CommandSpec spec, String option, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
        throw new ParameterException(spec.commandLine(), option + ": no PEM certificate in " + file);
      }
    } catch (IOException | CertificateException e) {
      throw new ParameterException(spec.commandLine(),
          option + ": no PEM certificate in " + file + " (" + e.getMessage() + ")");
    }
  }
}
