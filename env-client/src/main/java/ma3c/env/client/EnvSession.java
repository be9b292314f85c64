package ma3c.env.client;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.BlockingClientCall;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import ma3c.env.contract.EnvException;
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
 *
 * <p>Open has a deadline: a peer that takes the stream but never answers (a hung server, an
 * HTTP/2 endpoint that is not an env service) would otherwise block the caller forever. Later
 * exchanges have none: an env service answers a step in milliseconds, and a connection that dies
 * is noticed by the channel's keepalive.
 */
public final class EnvSession implements AutoCloseable {
  /** How long Open may take; an env service answers it in milliseconds (it loads one ROM). */
  public static final Duration OPEN_DEADLINE = Duration.ofSeconds(10);

  private final BlockingClientCall<Request, Response> call;
  private final EnvSpec spec;
  private Status ended;

  private EnvSession(Channel channel, String game, EnvConfig config, Duration openDeadline)
      throws EnvException {
    this.call = EnvironmentGrpc.newBlockingV2Stub(channel).session();
    Request open = Request.newBuilder()
        .setOpen(OpenRequest.newBuilder().setGame(game).setConfig(config)).build();
    this.spec = exchangeWithin(open, openDeadline).getOpen().getSpec();
  }

  /**
   * Opens {@code game}; failures that end the stream (NOT_FOUND, ...) throw StatusRuntimeException,
   * DEADLINE_EXCEEDED when no answer comes within {@link #OPEN_DEADLINE}.
   */
  public static EnvSession open(Channel channel, String game, EnvConfig config) throws EnvException {
    return open(channel, game, config, OPEN_DEADLINE);
  }

  /** As {@link #open(Channel, String, EnvConfig)}, waiting at most {@code openDeadline} for Open's answer. */
  public static EnvSession open(Channel channel, String game, EnvConfig config, Duration openDeadline)
      throws EnvException {
    return new EnvSession(channel, game, config, openDeadline);
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
      throw interrupted(e);
    }
    return answer(response);
  }

  /**
   * The first exchange: the write too waits at most until the deadline (a peer that never
   * completes the HTTP/2 handshake leaves the stream unable to send).
   */
  private Response exchangeWithin(Request request, Duration deadline) throws EnvException {
    long end = System.nanoTime() + deadline.toNanos();
    Response response;
    try {
      if (!call.write(request, end - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        throw fail(Status.UNAVAILABLE.withDescription("the session stream is closed"));
      }
      response = call.read(end - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      String why = "no answer to Open within " + deadline.toMillis() / 1000.0 + " s";
      call.cancel(why, null);
      throw fail(Status.DEADLINE_EXCEEDED.withDescription(why));
    } catch (StatusException e) {
      throw fail(e.getStatus());
    } catch (InterruptedException e) {
      throw interrupted(e);
    }
    return answer(response);
  }

  private StatusRuntimeException interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    call.cancel("client interrupted", e);
    return fail(Status.CANCELLED.withDescription("interrupted"));
  }

  private Response answer(Response response) throws EnvException {
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
