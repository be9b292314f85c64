package ma3c.env.service;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.OptionalLong;
import ma3c.env.contract.EnvException;
import ma3c.env.session.EnvConfigs;
import ma3c.env.session.GameCatalog;
import ma3c.env.session.GameEnv;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.OpenRequest;
import ma3c.env.v1.OpenResponse;
import ma3c.env.v1.Request;
import ma3c.env.v1.Response;
import ma3c.grpc.server.flow.OneRequestAtATime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Session stream: owns at most one environment, answers requests in order, and releases the
 * environment however the stream ends. It reads the next request only once the response can be
 * sent, so a client that pipelines without reading cannot pile up responses in server memory.
 */
final class SessionHandler implements StreamObserver<Request> {
  private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);

  private final ServerCallStreamObserver<Response> out;
  private final GameCatalog catalog;
  private final SessionRegistry registry;
  private final String client;
  private final SessionMetrics metrics;
  private final int maxRequestBytes;
  private GameEnv env;
  private ObservationCodec codec;
  private final OneRequestAtATime requests;
  private boolean ended;
  private volatile long lastActiveNanos = System.nanoTime();

  SessionHandler(ServerCallStreamObserver<Response> out, GameCatalog catalog,
      SessionRegistry registry, String client, SessionMetrics metrics, int maxRequestBytes) {
    this.metrics = metrics;
    this.maxRequestBytes = maxRequestBytes;
    this.out = out;
    this.catalog = catalog;
    this.registry = registry;
    this.client = client;
    requests = new OneRequestAtATime(out, this, () -> ended);
    out.setOnCancelHandler(this::cancelled);
    registry.streamStarted(this);
    requests.first();
  }

  /** Who opened this stream (see ClientAddress). */
  String client() {
    return client;
  }

  long lastActiveNanos() {
    return lastActiveNanos;
  }

  @Override
  public synchronized void onNext(Request request) {
    if (ended) {
      return;
    }
    lastActiveNanos = System.nanoTime();
    try {
      if (request == EnvironmentService.MALFORMED) {
        throw EnvException.invalidArgument("malformed request: not a valid ma3c.env.v1.Request");
      }
      // The transport lets requests somewhat over the limit through (EnvServer), so that they are
      // refused here like any bad request: ending the stream with RESOURCE_EXHAUSTED when first,
      // in-band later, where gRPC would reset the stream (the client sees a bare CANCELLED).
      int size = request.getSerializedSize();
      if (size > maxRequestBytes) {
        throw new EnvException(Status.Code.RESOURCE_EXHAUSTED, "request of " + size
            + " bytes is over the server's message limit of " + maxRequestBytes + " bytes");
      }
      switch (request.getPayloadCase()) {
        case OPEN -> open(request.getOpen());
        case RESET -> {
          long start = System.nanoTime();
          send(Response.newBuilder().setReset(codec.encode(openEnv().reset(
              request.getReset().hasSeed() ? OptionalLong.of(request.getReset().getSeed())
                  : OptionalLong.empty()))));
          metrics.reset(start);
        }
        case STEP -> {
          long start = System.nanoTime();
          send(Response.newBuilder().setStep(
              codec.encode(openEnv().step(request.getStep().getAction()))));
          metrics.stepped(start);
        }
        default -> throw EnvException.invalidArgument("empty request: set open, reset or step");
      }
    } catch (EnvException e) {
      if (env == null) {
        end(e.toStatus());
      } else {
        metrics.inBandError(e.code());
        send(Response.newBuilder().setError(com.google.rpc.Status.newBuilder()
            .setCode(e.code().value()).setMessage(e.getMessage())));
      }
    } catch (RuntimeException e) {
      log.error("session failed on {}", request.getPayloadCase(), e);
      // The exception's text stays in the server's log: it may name server paths.
      end(Status.INTERNAL.withDescription("environment failure; the server's log has the details"));
    }
    lastActiveNanos = System.nanoTime();
    requests.next();
  }

  private void open(OpenRequest request) throws EnvException {
    if (env != null) {
      throw EnvException.failedPrecondition("the session is already open on " + env.spec().getGame());
    }
    EnvConfig config = EnvConfigs.resolve(request.getConfig());
    Status admitted = registry.admit(this);
    if (!admitted.isOk()) {
      end(admitted);
      return;
    }
    // On failure env stays null, so onNext ends the stream, which also frees the admission.
    env = catalog.open(request.getGame(), config);
    codec = new ObservationCodec(config.getCompression());
    // One line per session (not per step): shows which replica serves whom when scaled.
    log.info("session opened: {} (seed {}) for {}, {} open", request.getGame(), config.getSeed(),
        client, registry.openSessions());
    send(Response.newBuilder().setOpen(OpenResponse.newBuilder().setSpec(env.spec())));
  }

  private GameEnv openEnv() throws EnvException {
    if (env == null) {
      throw EnvException.failedPrecondition("the first request of a session must be open");
    }
    return env;
  }

  private void send(Response.Builder response) {
    if (!ended) {
      out.onNext(response.build());
    }
  }

  /** Ends the stream with {@code status} (from any thread) and releases the environment. */
  synchronized void end(Status status) {
    if (ended) {
      return;
    }
    release();
    out.onError(status.asRuntimeException());
  }

  @Override
  public synchronized void onError(Throwable t) {
    release();
  }

  @Override
  public synchronized void onCompleted() {
    if (!ended) {
      release();
      out.onCompleted();
    }
  }

  private synchronized void cancelled() {
    release();
  }

  private void release() {
    ended = true;
    registry.streamEnded(this);
    if (env != null) {
      log.info("session closed: {}", env.spec().getGame());
      env.close();
      env = null;
    }
    if (codec != null) {
      codec.close();
      codec = null;
    }
  }
}
