package ma3c.env;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import ma3c.env.v1.EnvironmentGrpc;
import ma3c.env.v1.ListGamesRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's health, reflection, listening address and shutdown. */
class EnvServerTest {
  private static ServingStatus health(ManagedChannel channel, String service) {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
  }

  /**
   * Once SERVING, ListGames answers from what the warm-up described instead of loading each ROM
   * (~90 ms each). Told apart without a clock: ROM files overwritten with junk of the same size
   * and modification time (what the catalog knows a ROM by) still list as their games.
   */
  @Test
  void notServingUntilTheCatalogIsWarmThenListGamesAnswersFromIt(@TempDir Path roms)
      throws Exception {
    // Fresh copies: the catalog remembers ROMs by path, so these cost a ROM load each.
    List<Path> copies = new java.util.ArrayList<>();
    try (Stream<Path> shared = Files.list(TestRoms.dir())) {
      for (Path rom : shared.filter(p -> p.toString().endsWith(".bin")).sorted().limit(20).toList()) {
        copies.add(Files.copy(rom, roms.resolve(rom.getFileName())));
      }
    }
    try (TestEnvServer env = TestEnvServer.tcp(EnvServer.Options.defaults(roms))) {
      assertEquals(ServingStatus.NOT_SERVING, health(env.channel, ""));
      assertEquals(ServingStatus.NOT_SERVING, health(env.channel, EnvironmentGrpc.SERVICE_NAME));
      await().atMost(Duration.ofMinutes(1)).until(() -> health(env.channel, "") == ServingStatus.SERVING);
      assertEquals(ServingStatus.SERVING, health(env.channel, EnvironmentGrpc.SERVICE_NAME));
      for (Path rom : copies) {
        java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(rom);
        Files.write(rom, new byte[(int) Files.size(rom)]);
        Files.setLastModifiedTime(rom, modified);
      }
      int games = EnvironmentGrpc.newBlockingStub(env.channel)
          .listGames(ListGamesRequest.getDefaultInstance()).getGamesCount();
      assertTrue(games > 15, "catch and the supported ones of 20 ROMs: " + games);
    }
  }

  @Test
  void stoppingEndsHealthWatchesInsteadOfWaitingTheGracePeriod(@TempDir Path noRoms) throws Exception {
    EnvServer server = EnvServer.tcp(0, EnvServer.Options.defaults(noRoms)).start();
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
        .usePlaintext().build();
    List<ServingStatus> seen = new CopyOnWriteArrayList<>();
    List<Status> ended = new CopyOnWriteArrayList<>();
    try {
      HealthGrpc.newStub(channel).watch(HealthCheckRequest.getDefaultInstance(),
          new StreamObserver<>() {
            @Override
            public void onNext(HealthCheckResponse response) {
              seen.add(response.getStatus());
            }

            @Override
            public void onError(Throwable t) {
              ended.add(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
              ended.add(Status.OK);
            }
          });
      await().atMost(Duration.ofMinutes(1)).until(() -> seen.contains(ServingStatus.SERVING));
      // A grace period far longer than a busy machine needs to stop a server with a watch open.
      long start = System.nanoTime();
      server.stop(Duration.ofSeconds(120));
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      assertTrue(seconds < 60, "stop took " + seconds + " s: it waited for the grace period");
      await().atMost(Duration.ofMinutes(1)).until(() -> !ended.isEmpty());
      assertEquals(ServingStatus.NOT_SERVING, seen.get(seen.size() - 1), seen.toString());
      assertEquals(Status.Code.UNAVAILABLE, ended.get(0).getCode(), ended.toString());
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void reflectionListsTheGuardedServices(@TempDir Path noRoms) throws Exception {
    try (TestEnvServer env = TestEnvServer.inProcess(EnvServer.Options.defaults(noRoms))) {
      List<ServerReflectionResponse> responses = new CopyOnWriteArrayList<>();
      StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(env.channel)
          .serverReflectionInfo(new StreamObserver<>() {
            @Override
            public void onNext(ServerReflectionResponse response) {
              responses.add(response);
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
          });
      requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
      await().atMost(Duration.ofMinutes(1)).until(() -> !responses.isEmpty());
      requests.onCompleted();
      List<String> services = responses.get(0).getListServicesResponse().getServiceList().stream()
          .map(ServiceResponse::getName).toList();
      assertTrue(services.containsAll(List.of(EnvironmentGrpc.SERVICE_NAME, HealthGrpc.SERVICE_NAME)),
          services.toString());
    }
  }

  @Test
  void tcpListensOnLoopbackOnlyUnlessGivenAnAddress(@TempDir Path noRoms) throws Exception {
    Optional<InetAddress> external = externalAddress();
    assumeTrue(external.isPresent(), "needs a non-loopback IPv4 address on this machine");
    String host = external.get().getHostAddress();
    EnvServer.Options options = EnvServer.Options.defaults(noRoms);
    EnvServer loopback = EnvServer.tcp(0, options).start();
    ManagedChannel viaExternal = NettyChannelBuilder.forAddress(host, loopback.port()).usePlaintext().build();
    try {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> health(viaExternal, ""));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
    } finally {
      viaExternal.shutdownNow();
      loopback.stop(Duration.ofSeconds(5));
    }
    EnvServer everywhere = EnvServer.tcp(new InetSocketAddress("0.0.0.0", 0), options).start();
    ManagedChannel channel = NettyChannelBuilder.forAddress(host, everywhere.port()).usePlaintext().build();
    try {
      await().atMost(Duration.ofMinutes(1)).until(() -> health(channel, "") == ServingStatus.SERVING);
    } finally {
      channel.shutdownNow();
      everywhere.stop(Duration.ofSeconds(5));
    }
  }

  private static Optional<InetAddress> externalAddress() throws Exception {
    return NetworkInterface.networkInterfaces()
        .filter(i -> {
          try {
            return i.isUp() && !i.isLoopback();
          } catch (java.net.SocketException e) {
            return false;
          }
        })
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
        .findFirst();
  }
}
