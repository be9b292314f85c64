package ma3c.env.service;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import ma3c.env.session.GameCatalog;
import ma3c.env.v1.EnvironmentGrpc;
import ma3c.env.v1.ListGamesRequest;
import ma3c.env.v1.ListGamesResponse;
import ma3c.env.v1.Request;
import ma3c.env.v1.Response;
import ma3c.grpc.server.MalformedRequests;

/**
 * The Environment gRPC service: game listing and one SessionHandler per Session stream. Register
 * it behind ClientAddress (per-client limits) and MalformedRequests (undecodable Session requests).
 */
public final class EnvironmentService extends EnvironmentGrpc.EnvironmentImplBase {
  /** What a Session handler receives for bytes that are not a Request (compared by identity). */
  public static final Request MALFORMED = Request.newBuilder().build();

  private final GameCatalog catalog;
  private final SessionRegistry registry;
  private final SessionMetrics metrics;
  private final int maxRequestBytes;

  /**
   * @param maxRequestBytes the contract's message limit, checked on every Session request: the
   *     transport's must be above it, so that a request over it reaches the session and is
   *     answered as one (see EnvServer)
   */
  public EnvironmentService(GameCatalog catalog, SessionRegistry registry, SessionMetrics metrics,
      int maxRequestBytes) {
    this.maxRequestBytes = maxRequestBytes;
    this.catalog = catalog;
    this.registry = registry;
    this.metrics = metrics;
  }

  /** Undecodable requests: INVALID_ARGUMENT, in-band on a Session stream. */
  public static MalformedRequests malformedRequests() {
    return new MalformedRequests(Map.of(EnvironmentGrpc.getSessionMethod().getFullMethodName(),
        MALFORMED));
  }

  @Override
  public void listGames(ListGamesRequest request, StreamObserver<ListGamesResponse> out) {
    out.onNext(ListGamesResponse.newBuilder().addAllGames(catalog.games()).build());
    out.onCompleted();
  }

  @Override
  public StreamObserver<Request> session(StreamObserver<Response> out) {
    return new SessionHandler((ServerCallStreamObserver<Response>) out, catalog, registry,
        ClientAddress.current(), metrics, maxRequestBytes);
  }
}
