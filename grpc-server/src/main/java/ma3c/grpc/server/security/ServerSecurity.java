package ma3c.grpc.server.security;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import ma3c.cli.security.PemFiles;
import ma3c.cli.security.TokenFiles;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A gRPC server's transport security and client authentication, as options shared by the env
 * service and the policy server: TLS from a PEM certificate chain and key, and a bearer token
 * every call must carry (the health service excepted).
 */
public final class ServerSecurity {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--tls-cert", description = "TLS: the server's certificate chain (PEM); with --tls-key.")
  Path certChain;

  @Option(names = "--tls-key", description = "TLS: the server's private key (PEM, PKCS#8); with --tls-cert.")
  Path privateKey;

  @Option(names = "--token-file",
      description = "Require `authorization: Bearer <token>` on every call (the health service"
          + " excepted), the token being this file's first line.")
  Path tokenFile;

  /** What the server applies: its credentials, and the token check when there is one. */
  public record Settings(ServerCredentials credentials, Optional<ServerInterceptor> auth) {
    /** Plaintext, no token: a server on the loopback interface, or behind a trusted proxy. */
    public static Settings none() {
      return new Settings(InsecureServerCredentials.create(), Optional.empty());
    }

    public boolean tls() {
      return credentials instanceof TlsServerCredentials;
    }
  }

  /** The settings, once the options are checked (a usage error names the one at fault). */
  public Settings settings() {
    if ((certChain == null) != (privateKey == null)) {
      throw usage("--tls-cert and --tls-key go together");
    }
    ServerCredentials credentials = InsecureServerCredentials.create();
    if (certChain != null) {
      readable("--tls-cert", certChain);
      readable("--tls-key", privateKey);
      PemFiles.requireCertificates(spec, "--tls-cert", certChain);
      pemPrivateKey(privateKey);
      try {
        credentials = TlsServerCredentials.create(certChain.toFile(), privateKey.toFile());
      } catch (IOException | RuntimeException e) {
        throw usage("--tls-cert/--tls-key: " + e.getMessage());
      }
    }
    Optional<ServerInterceptor> auth = Optional.empty();
    if (tokenFile != null) {
      readable("--token-file", tokenFile);
      try {
        auth = Optional.of(new BearerTokenInterceptor(TokenFiles.read(tokenFile)));
      } catch (IOException e) {
        throw usage("--token-file: " + e.getMessage());
      }
    }
    return new Settings(credentials, auth);
  }

  /** Netty reads PKCS#8 keys ("BEGIN PRIVATE KEY"); `openssl pkcs8 -topk8 -nocrypt` converts others. */
  private void pemPrivateKey(Path file) {
    try {
      if (!Files.readString(file).contains("-----BEGIN PRIVATE KEY-----")) {
        throw usage("--tls-key: " + file + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY);"
            + " `openssl pkcs8 -topk8 -nocrypt -in KEY` converts one");
      }
    } catch (IOException e) {
      throw usage("--tls-key: cannot read " + file + ": " + e.getMessage());
    }
  }

  private void readable(String option, Path file) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw usage(option + ": no readable file at " + file);
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
