package ma3c.cli.security;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * How a client reaches a secured server: TLS trusting a CA certificate (PEM) and/or a bearer
 * token read from a file. Both optional; neither is plaintext without a token.
 *
 * @param tlsCa the CA certificate(s) to trust, PEM; null: plaintext
 * @param tokenFile the bearer token's file (its first line); null: no token
 */
public record ClientSecurity(String tlsCa, String tokenFile) {
  public static final ClientSecurity NONE = new ClientSecurity(null, null);

  /** Channel credentials for NettyChannelBuilder.forTarget(target, credentials). */
  public ChannelCredentials credentials() throws IOException {
    ChannelCredentials channel = tlsCa == null ? InsecureChannelCredentials.create()
        : TlsChannelCredentials.newBuilder().trustManager(Path.of(tlsCa).toFile()).build();
    if (tokenFile == null) {
      return channel;
    }
    return CompositeChannelCredentials.create(channel, bearer(TokenFiles.read(Path.of(tokenFile))));
  }

  /** Sends the token on every call, also over plaintext (on a trusted network: the user's call). */
  private static CallCredentials bearer(String token) {
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(BearerHeader.AUTHORIZATION, BearerHeader.PREFIX + token);
        applier.apply(headers);
      }
    };
  }
}
