package ma3c.learner.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EnvSpec;
import ma3c.env.v1.EnvironmentGrpc;
import ma3c.env.v1.ObservationSpec;
import ma3c.env.v1.OpenResponse;
import ma3c.env.v1.Request;
import ma3c.env.v1.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How an actor thread's env session meets env services that are down, wrong, or not there. */
class ResilientEnvTest {
  private Server server;
  private ManagedChannel channel;

  /** Fails the first {@code failures} opens with {@code code}, then opens; records every seed. */
  private static final class FlakyEnv extends EnvironmentGrpc.EnvironmentImplBase {
    final List<Long> seeds = new CopyOnWriteArrayList<>();
    private final int failures;
    private final Status.Code code;

    FlakyEnv(int failures, Status.Code code) {
      this.failures = failures;
      this.code = code;
    }

    @Override
    public StreamObserver<Request> session(StreamObserver<Response> out) {
      return new StreamObserver<>() {
        @Override
        public void onNext(Request request) {
          seeds.add(request.getOpen().getConfig().getSeed());
          if (seeds.size() <= failures) {
            out.onError(code.toStatus().withDescription("flaky").asRuntimeException());
            return;
          }
          out.onNext(Response.newBuilder().setOpen(OpenResponse.newBuilder().setSpec(EnvSpec.newBuilder()
              .setGame(request.getOpen().getGame())
              .setObservation(ObservationSpec.newBuilder().addShape(1)))).build());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          out.onCompleted();
        }
      };
    }
  }

  private ManagedChannel inProcess(BindableService... services) throws IOException {
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name).directExecutor();
    for (BindableService s : services) {
      builder.addService(s);
    }
    server = builder.build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    return channel;
  }

  @AfterEach
  void close() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static EnvConfig seeded(long seed) {
    return EnvConfig.newBuilder().setSeed(seed).build();
  }

  @Test
  void reconnectsWithAFreshSeedEachTime() throws Exception {
    FlakyEnv env = new FlakyEnv(2, Status.Code.UNAVAILABLE);
    ResilientEnv session = new ResilientEnv(inProcess(env), "pong", seeded(42), "t", () -> false);
    assertEquals(3, env.seeds.size());
    assertEquals(3, env.seeds.stream().distinct().count(), "seeds " + env.seeds);
    assertEquals(42L, env.seeds.get(0));
    assertEquals(2, session.reconnects());
    session.close();
  }

  /** Ctrl-C while the env service is down: the thread gives up within seconds, not minutes. */
  @Test
  void aStopEndsTheRetriesWithinSeconds() throws Exception {
    FlakyEnv env = new FlakyEnv(Integer.MAX_VALUE, Status.Code.UNAVAILABLE);
    ManagedChannel down = inProcess(env);
    AtomicBoolean stopping = new AtomicBoolean();
    long start = System.nanoTime();
    new Thread(() -> {
      sleep(1500);
      stopping.set(true);
    }).start();
    assertThrows(ResilientEnv.Stopped.class,
        () -> new ResilientEnv(down, "pong", seeded(1), "t", stopping::get));
    double seconds = (System.nanoTime() - start) / 1e9;
    // At most the backoff under way (5 s plus jitter) after the stop; retrying forever would hang.
    assertTrue(seconds < 30, "stopped after " + seconds + " s");
    assertTrue(env.seeds.size() > 3, "it was retrying meanwhile");
  }

  @Test
  void retryingStopsForErrorsItCannotFix() throws Exception {
    FlakyEnv env = new FlakyEnv(Integer.MAX_VALUE, Status.Code.NOT_FOUND);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new ResilientEnv(inProcess(env), "pongg", seeded(1), "t", () -> false));
    assertEquals("env service localhost: flaky", e.getMessage(), "an --env endpoint is named");
    assertEquals(1, env.seeds.size());
  }

  @Test
  void aGrpcServerWithoutTheEnvServiceIsNamed() throws Exception {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new ResilientEnv(inProcess(), "pong", seeded(1), "t", () -> false));
    assertTrue(e.getMessage().contains("not an MA3C env service"), e.getMessage());
  }

  /** An HTTP/1 server on the port (a typo in --env): a diagnosis after a few tries, not forever. */
  @Test
  void aPeerThatIsNotAGrpcServerFailsFast() throws Exception {
    try (ServerSocket http = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        while (!http.isClosed()) {
          try {
            // Like a web server: answer, and keep the connection open.
            Socket s = http.accept();
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
          } catch (IOException closed) {
            return;
          }
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      channel = NettyChannelBuilder.forAddress("127.0.0.1", http.getLocalPort()).usePlaintext().build();
      long start = System.nanoTime();
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> new ResilientEnv(channel, "pong", seeded(1), "t", () -> false));
      assertTrue(e.getMessage().contains("does not answer as an MA3C env service"), e.getMessage());
      assertTrue((System.nanoTime() - start) / 1e9 < 20, "failed fast");
    }
  }

  /** Takes every session and never answers: a hung server, or an HTTP/2 peer that is not an env service. */
  private static final class SilentEnv extends EnvironmentGrpc.EnvironmentImplBase {
    final AtomicInteger opens = new AtomicInteger();

    @Override
    public StreamObserver<Request> session(StreamObserver<Response> out) {
      return new StreamObserver<>() {
        @Override
        public void onNext(Request request) {
          opens.incrementAndGet();
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      };
    }
  }

  /** Each Open has a deadline; a few unanswered ones stop the thread with a diagnosis, not a hang. */
  @Test
  @Timeout(60)
  void aPeerThatNeverAnswersOpenIsDiagnosed() throws Exception {
    SilentEnv silent = new SilentEnv();
    server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .addService(silent).build().start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    long start = System.nanoTime();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ResilientEnv(
        channel, "pong", seeded(1), "t", () -> false, Duration.ofMillis(300)));
    assertTrue(e.getMessage().contains("takes sessions but does not answer them"
        + " (DEADLINE_EXCEEDED: no answer to Open within 0.3 s, 3 tries)"), e.getMessage());
    assertEquals(3, silent.opens.get());
    assertTrue((System.nanoTime() - start) / 1e9 < 10, "failed fast");
  }

  /** A TCP peer that accepts and says nothing (no HTTP/2 handshake): the same deadline ends the wait. */
  @Test
  @Timeout(60)
  void aPeerThatNeverSpeaksIsDiagnosed() throws Exception {
    try (ServerSocket mute = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      channel = NettyChannelBuilder.forAddress("127.0.0.1", mute.getLocalPort()).usePlaintext().build();
      long start = System.nanoTime();
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ResilientEnv(
          channel, "pong", seeded(1), "t", () -> false, Duration.ofMillis(300)));
      assertTrue(e.getMessage().contains("no answer to Open within 0.3 s"), e.getMessage());
      assertTrue((System.nanoTime() - start) / 1e9 < 10, "failed fast");
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
