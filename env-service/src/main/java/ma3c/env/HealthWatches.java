package ma3c.env;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the open health Watch streams so that a shutdown can end them. gRPC's health service never
 * completes a Watch, and a server that shuts down waits for every call: one watching client (a
 * load balancer, an orchestrator) would hold a stopping server for its whole grace period.
 */
final class HealthWatches implements ServerInterceptor {
  private static final String WATCH = HealthGrpc.getWatchMethod().getFullMethodName();

  private final Set<EndableCall<?, ?>> open = ConcurrentHashMap.newKeySet();
  private volatile boolean ending;

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    if (!call.getMethodDescriptor().getFullMethodName().equals(WATCH)) {
      return next.startCall(call, headers);
    }
    EndableCall<Q, R> watch = new EndableCall<>(call);
    open.add(watch);
    if (ending) {
      watch.end();
    }
    return new SimpleForwardingServerCallListener<>(next.startCall(watch, headers)) {
      @Override
      public void onComplete() {
        open.remove(watch);
        super.onComplete();
      }

      @Override
      public void onCancel() {
        open.remove(watch);
        super.onCancel();
      }
    };
  }

  /** Ends every open Watch, and any that starts from now on, with UNAVAILABLE. */
  void endAll() {
    ending = true;
    open.forEach(EndableCall::end);
  }

  /**
   * A call that this class may close from the stopping thread while the health service sends on
   * it from another: the two are serialized, and whatever comes after the close is dropped.
   */
  private static final class EndableCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private boolean closed;

    EndableCall(ServerCall<Q, R> call) {
      super(call);
    }

    void end() {
      close(Status.UNAVAILABLE.withDescription("the server is shutting down"), new Metadata());
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!closed) {
        super.sendHeaders(headers);
      }
    }

    @Override
    public synchronized void sendMessage(R message) {
      if (!closed) {
        super.sendMessage(message);
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        super.close(status, trailers);
      }
    }
  }
}
