package ma3c.env.service;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Names the client of each call by its transport's remote address, for per-client limits. A TCP
 * client is its IP address (not its port: one client may open many connections); every in-process
 * caller is the one embedding program.
 */
public final class ClientAddress implements ServerInterceptor {
  private static final Context.Key<String> KEY = Context.key("ma3c-client-address");

  /** The client of the current call ("unknown" outside a call made through this interceptor). */
  static String current() {
    String client = KEY.get();
    return client != null ? client : "unknown";
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    String client = remote instanceof InetSocketAddress inet && inet.getAddress() != null
        ? inet.getAddress().getHostAddress()
        : String.valueOf(remote);
    return Contexts.interceptCall(Context.current().withValue(KEY, client), call, headers, next);
  }
}
