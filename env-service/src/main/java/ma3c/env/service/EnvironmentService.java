package ma3c.env.service;

import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import ma3c.env.session.GameCatalog;
import ma3c.env.v1.EnvironmentGrpc;
import ma3c.env.v1.ListGamesRequest;
import ma3c.env.v1.ListGamesResponse;
import ma3c.env.v1.Request;
import ma3c.env.v1.Response;

/** The Environment gRPC service: game listing and one SessionHandler per Session stream. */
public final class EnvironmentService extends EnvironmentGrpc.EnvironmentImplBase {
  private final GameCatalog catalog;
  private final SessionRegistry registry;

  public EnvironmentService(GameCatalog catalog, SessionRegistry registry) {
    this.catalog = catalog;
    this.registry = registry;
  }

  /** The definition to register: this service, with malformed requests answered in-band. */
  public ServerServiceDefinition definition() {
    return MalformedRequests.lenient(bindService());
  }

  @Override
  public void listGames(ListGamesRequest request, StreamObserver<ListGamesResponse> out) {
    out.onNext(ListGamesResponse.newBuilder().addAllGames(catalog.games()).build());
    out.onCompleted();
  }

  @Override
  public StreamObserver<Request> session(StreamObserver<Response> out) {
    return new SessionHandler((ServerCallStreamObserver<Response>) out, catalog, registry);
  }
}
