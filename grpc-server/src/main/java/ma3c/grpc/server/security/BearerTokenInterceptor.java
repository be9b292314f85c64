package ma3c.grpc.server.security;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import ma3c.cli.security.BearerHeader;

/**
 * Admits a call only with the header {@code authorization: Bearer <token>}; anything else ends
 * with UNAUTHENTICATED and a message that tells nothing about the token. The health service stays
 * open, so that orchestrators' probes (which send no token) keep working.
 */
public final class BearerTokenInterceptor implements ServerInterceptor {
  private final byte[] expected;

  public BearerTokenInterceptor(String token) {
    this.expected = (BearerHeader.PREFIX + token).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    if (HealthGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    String given = headers.get(BearerHeader.AUTHORIZATION);
    // Constant time: how much of a guess matched does not show in the answer's timing.
    if (given == null
        || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
      call.close(Status.UNAUTHENTICATED.withDescription("missing or invalid bearer token"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }
}
