package ma3c.cli.security;

import io.grpc.Metadata;

/**
 * The header a bearer token travels in, {@code authorization: Bearer <token>}: what ClientSecurity
 * sends and the servers' token check (grpc-server's BearerTokenInterceptor) compares.
 */
public final class BearerHeader {
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  public static final String PREFIX = "Bearer ";

  private BearerHeader() {}
}
