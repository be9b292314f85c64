package ma3c.env.client;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.BlockingClientCall;
import java.util.OptionalLong;
import ma3c.env.client.EnvException;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EnvSpec;
import ma3c.env.v1.EnvironmentGrpc;
import ma3c.env.v1.OpenRequest;
import ma3c.env.v1.Request;
import ma3c.env.v1.ResetRequest;
import ma3c.env.v1.ResetResponse;
import ma3c.env.v1.Response;
import ma3c.env.v1.StepRequest;
import ma3c.env.v1.StepResponse;

/**
 * A blocking Java client for one Session stream. In-band errors surface as EnvException (the
 * session stays usable); a stream that ends (server gone, idle timeout, shutdown) surfaces as
 * StatusRuntimeException, after which the session is dead. One thread at a time.
 *
 * <p>It uses gRPC's blocking bidi call, which runs the stream's callbacks on the calling thread:
 * one thread hand-off fewer per step than an async stub feeding a queue.
 */
public final class EnvSession implements AutoCloseable {
  private final BlockingClientCall<Request, Response> call;
  private final EnvSpec spec;
  private Status ended;

  private EnvSession(Channel channel, String game, EnvConfig config) throws EnvException {
    this.call = EnvironmentGrpc.newBlockingV2Stub(channel).session();
    Response opened = exchange(Request.newBuilder()
        .setOpen(OpenRequest.newBuilder().setGame(game).setConfig(config)).build());
    this.spec = opened.getOpen().getSpec();
  }

  /** Opens {@code game}; failures that end the stream (NOT_FOUND, ...) throw StatusRuntimeException. */
  public static EnvSession open(Channel channel, String game, EnvConfig config) throws EnvException {
    return new EnvSession(channel, game, config);
  }

  public EnvSpec spec() {
    return spec;
  }

  public ResetResponse reset(OptionalLong seed) throws EnvException {
    ResetRequest.Builder reset = ResetRequest.newBuilder();
    seed.ifPresent(reset::setSeed);
    return exchange(Request.newBuilder().setReset(reset).build()).getReset();
  }

  public StepResponse step(int action) throws EnvException {
    return exchange(Request.newBuilder().setStep(StepRequest.newBuilder().setAction(action)).build())
        .getStep();
  }

  private Response exchange(Request request) throws EnvException {
    if (ended != null) {
      throw ended.asRuntimeException();
    }
    Response response;
    try {
      if (!call.write(request)) {
        throw fail(Status.UNAVAILABLE.withDescription("the session stream is closed"));
      }
      response = call.read();
    } catch (StatusException e) {
      throw fail(e.getStatus());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.cancel("client interrupted", e);
      throw fail(Status.CANCELLED.withDescription("interrupted"));
    }
    if (response == null) {
      throw fail(Status.UNAVAILABLE.withDescription("the server closed the session"));
    }
    if (response.hasError()) {
      throw new EnvException(Status.fromCodeValue(response.getError().getCode()).getCode(),
          response.getError().getMessage());
    }
    return response;
  }

  private StatusRuntimeException fail(Status status) {
    ended = status;
    return status.asRuntimeException();
  }

  @Override
  public void close() {
    if (ended == null) {
      ended = Status.CANCELLED.withDescription("closed by the client");
      call.halfClose();
    }
  }
}
