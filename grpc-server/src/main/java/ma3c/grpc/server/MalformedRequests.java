package ma3c.grpc.server;

import com.google.protobuf.Message;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.PrototypeMarshaller;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes requests that do not parse reach a server's code instead of failing inside gRPC, which
 * ends the call with an opaque UNKNOWN "Application error processing RPC" and logs a stack trace
 * per call. A stream that answers bad requests in-band (the env's Session, the policy's ActStream)
 * gets its handler's sentinel, which the handler answers like any other bad request; every other
 * method answers INVALID_ARGUMENT. They are logged at most once a minute, with a count, since any
 * client can send them in a loop.
 */
public final class MalformedRequests {
  private static final Logger log = LoggerFactory.getLogger(MalformedRequests.class);

  private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));
  private final Map<String, ?> inBand;

  /**
   * @param inBand the streams that answer bad requests in-band: full method name to the sentinel
   *     request their handler receives for bytes that do not parse (it compares by identity, so
   *     the sentinel must be an instance of its own, never the default instance)
   */
  public MalformedRequests(Map<String, ?> inBand) {
    this.inBand = Map.copyOf(inBand);
  }

  /** {@code service} with the request parsing of each of its protobuf methods made lenient. */
  public ServerServiceDefinition guard(ServerServiceDefinition service) {
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      methods.add(guard(method));
    }
    // A definition's methods must be the very descriptors of its service descriptor.
    ServiceDescriptor original = service.getServiceDescriptor();
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
        .setSchemaDescriptor(original.getSchemaDescriptor());
    methods.forEach(m -> descriptor.addMethod(m.getMethodDescriptor()));
    ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(definition::addMethod);
    return definition.build();
  }

  @SuppressWarnings("unchecked")
  private <Q, R> ServerMethodDefinition<Q, R> guard(ServerMethodDefinition<Q, R> method) {
    MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
    if (!(descriptor.getRequestMarshaller() instanceof PrototypeMarshaller<Q> proto)
        || !(proto.getMessagePrototype() instanceof Message prototype)) {
      return method;
    }
    Object given = inBand.get(descriptor.getFullMethodName());
    // A fresh empty message, never the default instance that an empty request parses to.
    Q sentinel = given != null ? (Q) given : (Q) prototype.newBuilderForType().build();
    ServerCallHandler<Q, R> handler = given != null ? method.getServerCallHandler()
        : rejecting(method.getServerCallHandler(), sentinel,
            prototype.getDescriptorForType().getFullName());
    MethodDescriptor<Q, R> lenient = descriptor.toBuilder()
        .setRequestMarshaller(new LenientMarshaller<>(proto, sentinel, descriptor.getFullMethodName()))
        .build();
    return ServerMethodDefinition.create(lenient, handler);
  }

  /** Ends a call whose request is the sentinel with INVALID_ARGUMENT before the service sees it. */
  private static <Q, R> ServerCallHandler<Q, R> rejecting(ServerCallHandler<Q, R> next, Q sentinel,
      String type) {
    return (call, headers) -> new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
      private boolean rejected;

      @Override
      public void onMessage(Q message) {
        if (message == sentinel && !rejected) {
          rejected = true;
          call.close(Status.INVALID_ARGUMENT.withDescription("malformed request: not a valid " + type),
              new Metadata());
        } else if (!rejected) {
          super.onMessage(message);
        }
      }

      @Override
      public void onHalfClose() {
        if (!rejected) {
          super.onHalfClose();
        }
      }

      @Override
      public void onReady() {
        if (!rejected) {
          super.onReady();
        }
      }
    };
  }

  private final class LenientMarshaller<Q> implements MethodDescriptor.Marshaller<Q> {
    private final MethodDescriptor.Marshaller<Q> proto;
    private final Q sentinel;
    private final String method;

    LenientMarshaller(MethodDescriptor.Marshaller<Q> proto, Q sentinel, String method) {
      this.proto = proto;
      this.sentinel = sentinel;
      this.method = method;
    }

    @Override
    public InputStream stream(Q value) {
      return proto.stream(value);
    }

    @Override
    public Q parse(InputStream stream) {
      try {
        return proto.parse(stream);
      } catch (RuntimeException e) {
        throttle.admit().ifPresent(held -> log.warn(
            "malformed {} request answered with INVALID_ARGUMENT: {}{}", method, rootMessage(e),
            held > 0 ? " (" + held + " more since the last report)" : ""));
        return sentinel;
      }
    }
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
