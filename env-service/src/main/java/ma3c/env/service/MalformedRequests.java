package ma3c.env.service;

import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoUtils;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import ma3c.env.v1.EnvironmentGrpc;
import ma3c.env.v1.Request;

/**
 * Makes undecodable Session requests reach the handler as a sentinel instead of failing inside
 * gRPC, which would end the call with an opaque UNKNOWN "Application error processing RPC". The
 * handler answers the sentinel with INVALID_ARGUMENT like any other bad request.
 */
final class MalformedRequests {
  /** The one instance handed to the handler for bytes that are not a Request; compare by identity. */
  static final Request MALFORMED = Request.newBuilder().build();

  private MalformedRequests() {}

  static boolean isMalformed(Request request) {
    return request == MALFORMED;
  }

  /** {@code service}'s definition with the Session method's request parsing made lenient. */
  @SuppressWarnings("unchecked")
  static ServerServiceDefinition lenient(ServerServiceDefinition service) {
    String session = EnvironmentGrpc.getSessionMethod().getFullMethodName();
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      boolean isSession = method.getMethodDescriptor().getFullMethodName().equals(session);
      methods.add(isSession ? withLenientParser((ServerMethodDefinition<Request, ?>) method) : method);
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

  private static <R> ServerMethodDefinition<Request, R> withLenientParser(
      ServerMethodDefinition<Request, R> method) {
    MethodDescriptor<Request, R> descriptor = method.getMethodDescriptor().toBuilder()
        .setRequestMarshaller(new LenientMarshaller())
        .build();
    return ServerMethodDefinition.create(descriptor, method.getServerCallHandler());
  }

  private static final class LenientMarshaller implements MethodDescriptor.Marshaller<Request> {
    private final MethodDescriptor.Marshaller<Request> proto =
        ProtoUtils.marshaller(Request.getDefaultInstance());

    @Override
    public InputStream stream(Request value) {
      return proto.stream(value);
    }

    @Override
    public Request parse(InputStream stream) {
      try {
        return proto.parse(stream);
      } catch (RuntimeException e) {
        return MALFORMED;
      }
    }
  }
}
