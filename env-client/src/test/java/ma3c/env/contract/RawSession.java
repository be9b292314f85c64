package ma3c.env.contract;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.BlockingClientCall;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import ma3c.env.v1.EnvironmentGrpc;

/**
 * A Session stream, or a unary call, of raw bytes: to send the server what no generated stub would
 * (malformed input).
 */
public final class RawSession {
  private static final MethodDescriptor<byte[], byte[]> METHOD = EnvironmentGrpc.getSessionMethod()
      .toBuilder(new Bytes(), new Bytes()).build();

  private RawSession() {}

  public static BlockingClientCall<byte[], byte[]> open(Channel channel) {
    return ClientCalls.blockingBidiStreamingCall(channel, METHOD, CallOptions.DEFAULT);
  }

  /** Calls the unary {@code method} with {@code request} as its bytes; failures throw StatusRuntimeException. */
  public static byte[] unary(Channel channel, MethodDescriptor<?, ?> method, byte[] request) {
    MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(method.getFullMethodName())
        .setRequestMarshaller(new Bytes())
        .setResponseMarshaller(new Bytes())
        .build();
    return ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT, request);
  }

  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
