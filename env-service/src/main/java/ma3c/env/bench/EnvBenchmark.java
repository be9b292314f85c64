package ma3c.env.bench;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import ma3c.cli.RomDirOption;
import ma3c.cli.ParallelRate;
import ma3c.cli.ProjectVersion;
import ma3c.env.EnvServer;
import ma3c.env.ale.RomDirectory;
import ma3c.env.client.EnvSession;
import ma3c.env.session.EnvConfigs;
import ma3c.env.session.GameCatalog;
import ma3c.env.session.GameEnv;
import ma3c.env.v1.Compression;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EnvironmentGrpc;
import ma3c.env.v1.EpisodeState;
import ma3c.env.v1.Observation;
import ma3c.env.v1.Request;
import ma3c.env.v1.Response;
import ma3c.env.v1.StepRequest;
import ma3c.env.v1.StepResponse;
import ma3c.grpc.server.security.ServerSecurity;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Agent steps/s with random actions, measured side by side in one run: (a) the environment called
 * in-process, (b) through the gRPC server on loopback with one session, (c) with N sessions on N
 * client threads, (d) N emulators in-process, (f) (c) with a connection per session to a server
 * stepping on its network threads, (e) (c) over a Unix domain socket; then the floor
 * that explains b/a: a round trip with no emulator behind it. With --address: N sessions against
 * a running service, spread round-robin over every address its name resolves to (replicas).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
    description = "Measure env steps/s in-process vs through gRPC on loopback.")
public final class EnvBenchmark implements Callable<Integer> {
  @Option(names = "--game", defaultValue = "pong") String game;
  @Option(names = "--steps", defaultValue = "20000", description = "Measured steps per run.") int steps;
  @Option(names = "--warmup", defaultValue = "3000") int warmup;
  @Option(names = "--sessions", defaultValue = "2", description = "Sessions (threads) for (c).") int sessions;
  @Mixin
  RomDirOption roms;
  @Option(names = "--address", description = "Measure only a Java client's --sessions sessions against"
      + " the env service at host:port, round-robin over every address the host resolves to (env"
      + " replicas; also to compare other clients with, e.g. the Python one).")
  String address;

  /** One way of stepping an environment. */
  private interface Stepper extends AutoCloseable {
    void reset() throws Exception;

    StepResponse step(int action) throws Exception;

    int actions();

    @Override
    void close();
  }

  @Override
  public Integer call() throws Exception {
    EnvConfig config = EnvConfig.newBuilder().setSeed(1).build();
    if (address != null) {
      ManagedChannel channel = NettyChannelBuilder.forTarget("dns:///" + address)
          .defaultLoadBalancingPolicy("round_robin").usePlaintext().build();
      try {
        double rate = run(sessions, warmup, steps, () -> remote(channel, config));
        System.out.printf("java client, %d session%s, %s at %s: %.0f steps/s%n", sessions,
            sessions == 1 ? "" : "s", game, address, rate);
      } finally {
        channel.shutdownNow();
      }
      return 0;
    }
    Path roms = RomDirectory.resolve(this.roms.given());
    GameCatalog catalog = new GameCatalog(roms);
    EnvServer server = EnvServer.tcp(0, EnvServer.Options.defaults(roms)).start();
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
        .usePlaintext().build();
    try {
      System.out.printf("%s, frame skip %d, gray 84x84, sticky %.2f (the env defaults), random actions,"
          + " %d steps/run%n", game, EnvConfigs.DEFAULT_FRAME_SKIP, EnvConfigs.DEFAULT_STICKY, steps);
      double a = inProcessStepsPerSecond(catalog, game, 1, warmup, steps);
      System.out.printf("(a) in-process ALE + preprocessing : %8.0f steps/s%n", a);
      double b = run(1, warmup, steps, () -> remote(channel, config));
      System.out.printf("(b) gRPC loopback, 1 session       : %8.0f steps/s   b/a = %.2f%n", b, b / a);
      double c = run(sessions, warmup, steps, () -> remote(channel, config));
      System.out.printf("(c) gRPC loopback, %d sessions      : %8.0f steps/s   c/a = %.2f%n",
          sessions, c, c / a);
      // The fair baseline for (c): as many emulators stepping in this process as (c) has sessions.
      double d = inProcessStepsPerSecond(catalog, game, sessions, warmup, steps);
      System.out.printf("(d) in-process, %d emulators        : %8.0f steps/s   c/d = %.2f%n",
          sessions, d, c / d);
      double f = stepOnTransportThreadsStepsPerSecond(roms, config);
      System.out.printf("(f) %d sessions, a connection each, --step-on-transport-threads: %8.0f steps/s   f/d = %.2f%n",
          sessions, f, f / d);
      double e = unixSocketStepsPerSecond(roms, config);
      System.out.printf("(e) Unix socket, %d sessions       : %8.0f steps/s   e/d = %.2f   e/c = %.2f%n",
          sessions, e, e / d, e / c);
      System.out.printf("per-step cost of the gRPC round trip in (b): %.0f us%n", 1e6 / b - 1e6 / a);
      System.out.printf("floor: a round trip of the same messages with no emulator: %.0f us%n",
          echoRoundTripMicros());
      System.out.printf("bytes per step on the wire (StepResponse): %.0f uncompressed, %.0f with zlib%n",
          bytesPerStep(channel, Compression.NONE), bytesPerStep(channel, Compression.ZLIB));
    } finally {
      channel.shutdownNow();
      server.stop(java.time.Duration.ofSeconds(5));
    }
    return 0;
  }

  /**
   * (c) again, each session on its own connection to a server that steps sessions on their
   * connections' network threads (the learner's --env-connections with the service's
   * --step-on-transport-threads).
   */
  private double stepOnTransportThreadsStepsPerSecond(Path roms, EnvConfig config) throws Exception {
    EnvServer server = EnvServer.tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        EnvServer.Options.defaults(roms), ServerSecurity.Settings.none(), true).start();
    List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
    try {
      return run(sessions, warmup, steps, () -> {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
            .usePlaintext().build();
        channels.add(channel);
        return remote(channel, config);
      });
    } finally {
      channels.forEach(ManagedChannel::shutdownNow);
      server.stop(java.time.Duration.ofSeconds(5));
    }
  }

  /** (c) again, with the server on a Unix domain socket (EnvServer.unixSocket) instead of TCP. */
  private double unixSocketStepsPerSecond(Path roms, EnvConfig config) throws Exception {
    Path socket = Files.createTempDirectory("ma3c-env-bench").resolve("env.sock");
    EnvServer server = EnvServer.unixSocket(socket, EnvServer.Options.defaults(roms),
        ServerSecurity.Settings.none()).start();
    ManagedChannel channel = Grpc.newChannelBuilder("unix://" + socket,
        InsecureChannelCredentials.create()).build();
    try {
      return run(sessions, warmup, steps, () -> remote(channel, config));
    } finally {
      channel.shutdownNow();
      server.stop(java.time.Duration.ofSeconds(5));
      Files.deleteIfExists(socket);
      Files.deleteIfExists(socket.getParent());
    }
  }

  /** Mean serialized size of the StepResponses of one session with {@code compression}. */
  private double bytesPerStep(ManagedChannel channel, Compression compression) throws Exception {
    EnvConfig config = EnvConfig.newBuilder().setSeed(1).setCompression(compression).build();
    try (EnvSession session = EnvSession.open(channel, game, config)) {
      SplittableRandom random = new SplittableRandom(1);
      session.reset(OptionalLong.empty());
      long bytes = 0;
      for (int i = 0; i < steps; i++) {
        StepResponse step = session.step(random.nextInt(session.spec().getActionCount()));
        bytes += step.getSerializedSize();
        if (step.getState() != EpisodeState.RUNNING) {
          session.reset(OptionalLong.empty());
        }
      }
      return (double) bytes / steps;
    }
  }

  private static Stepper inProcess(GameCatalog catalog, String game, EnvConfig config)
      throws Exception {
    GameEnv env = catalog.open(game, EnvConfigs.resolve(config));
    return new Stepper() {
      public void reset() throws Exception {
        env.reset(OptionalLong.empty());
      }

      public StepResponse step(int action) throws Exception {
        return env.step(action);
      }

      public int actions() {
        return env.spec().getActionCount();
      }

      public void close() {
        env.close();
      }
    };
  }

  private Stepper remote(ManagedChannel channel, EnvConfig config) throws Exception {
    EnvSession session = EnvSession.open(channel, game, config);
    return new Stepper() {
      public void reset() throws Exception {
        session.reset(OptionalLong.empty());
      }

      public StepResponse step(int action) throws Exception {
        return session.step(action);
      }

      public int actions() {
        return session.spec().getActionCount();
      }

      public void close() {
        session.close();
      }
    };
  }

  private interface StepperFactory {
    Stepper create() throws Exception;
  }

  /** Total steps/s of {@code threads} threads, each with its own environment, after a warm-up. */
  private static double run(int threads, int warmup, int steps, StepperFactory factory)
      throws Exception {
    return ParallelRate.total(threads, seed -> () -> {
      try (Stepper env = factory.create()) {
        SplittableRandom random = new SplittableRandom(seed);
        play(env, random, warmup);
        long start = System.nanoTime();
        play(env, random, steps);
        return steps / ((System.nanoTime() - start) / 1e9);
      }
    });
  }

  /**
   * Random-action steps/s of {@code game} called in-process on {@code threads} threads: what the
   * emulator and preprocessing alone can do (the baseline the training benchmark compares to).
   */
  private static double inProcessStepsPerSecond(GameCatalog catalog, String game, int threads,
      int warmup, int steps) throws Exception {
    return inProcessStepsPerSecond(catalog, game, EnvConfig.newBuilder().setSeed(1).build(), threads,
        warmup, steps);
  }

  /** The same, with the env configured as a training run asks for it (sticky actions, no-ops). */
  public static double inProcessStepsPerSecond(GameCatalog catalog, String game, EnvConfig config,
      int threads, int warmup, int steps) throws Exception {
    return run(threads, warmup, steps, () -> inProcess(catalog, game, config));
  }

  /** Mean microseconds of a Session round trip to a server that answers a fixed 84x84 step. */
  private double echoRoundTripMicros() throws Exception {
    StepResponse canned = StepResponse.newBuilder().setObservation(Observation.newBuilder()
        .setData(ByteString.copyFrom(new byte[84 * 84]))).build();
    Server echo = NettyServerBuilder.forPort(0).addService(new EnvironmentGrpc.EnvironmentImplBase() {
      @Override
      public StreamObserver<Request> session(StreamObserver<Response> out) {
        return new StreamObserver<>() {
          public void onNext(Request request) {
            out.onNext(Response.newBuilder().setStep(canned).build());
          }

          public void onError(Throwable t) { }

          public void onCompleted() {
            out.onCompleted();
          }
        };
      }
    }).build().start();
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", echo.getPort())
        .usePlaintext().build();
    try {
      var call = EnvironmentGrpc.newBlockingV2Stub(channel).session();
      Request step = Request.newBuilder().setStep(StepRequest.newBuilder().setAction(0)).build();
      for (int i = 0; i < warmup; i++) {
        call.write(step);
        call.read();
      }
      long start = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        call.write(step);
        call.read();
      }
      double micros = (System.nanoTime() - start) / 1e3 / steps;
      call.halfClose();
      return micros;
    } finally {
      channel.shutdownNow();
      echo.shutdownNow();
    }
  }

  private static void play(Stepper env, SplittableRandom random, int n) throws Exception {
    env.reset();
    for (int i = 0; i < n; i++) {
      StepResponse step = env.step(random.nextInt(env.actions()));
      if (step.getState() != EpisodeState.RUNNING) {
        env.reset();
      }
    }
  }
}
