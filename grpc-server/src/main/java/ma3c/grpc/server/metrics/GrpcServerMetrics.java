package ma3c.grpc.server.metrics;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts every finished call by method and status code (grpc_server_calls_total{method, code}):
 * the errors by code an operator alerts on, streams that ended with a status included, and calls
 * the client cancelled or dropped as CANCELLED.
 */
public final class GrpcServerMetrics implements ServerInterceptor {
  private final MeterRegistry registry;
  /** One counter per method and code, found without building a meter id on every call. */
  private final Map<String, Map<Status.Code, Counter>> counters = new ConcurrentHashMap<>();

  public GrpcServerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    // Once per call: a call the server closes, or one the client cancels or drops first (which
    // never reaches close: a stream the client ends by cancelling, a client that vanished).
    AtomicBoolean counted = new AtomicBoolean();
    ServerCall<Q, R> closing = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        if (counted.compareAndSet(false, true)) {
          counter(method, status.getCode()).increment();
        }
        super.close(status, trailers);
      }
    };
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
        next.startCall(closing, headers)) {
      @Override
      public void onCancel() {
        if (counted.compareAndSet(false, true)) {
          counter(method, Status.Code.CANCELLED).increment();
        }
        super.onCancel();
      }
    };
  }

  private Counter counter(String method, Status.Code code) {
    return counters.computeIfAbsent(method, m -> new ConcurrentHashMap<>()).computeIfAbsent(code,
        c -> Counter.builder("grpc.server.calls").description("Finished calls by method and status")
            .tag("method", method).tag("code", c.name()).register(registry));
  }
}
