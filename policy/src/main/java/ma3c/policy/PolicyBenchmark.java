package ma3c.policy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import ma3c.cli.OptionChecks;
import ma3c.cli.security.ServerSecurity;
import ma3c.model.Architecture;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;
import ma3c.model.onnx.ModelMetadata;
import ma3c.model.onnx.OnnxPolicy;
import ma3c.model.onnx.OnnxPolicyGraph;
import ma3c.policy.v1.ActRequest;
import ma3c.policy.v1.PolicyGrpc;
import org.HdrHistogram.ConcurrentHistogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Policy inference in one run: ONNX Runtime in-process per step (FF and LSTM), then Act calls/s
 * and latency through the policy server on loopback with one and with many clients, unbatched and
 * batched side by side (the clients run in this process, on the same cores as the server).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure in-process inference per step and policy-server Act latency and throughput.")
public final class PolicyBenchmark implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Option(names = "--calls", defaultValue = "5000", description = "Measured calls per case, at least 1.") int calls;
  @Option(names = "--clients", defaultValue = "64", description = "Concurrent clients, at least 1. Default ${DEFAULT-VALUE}.") int clients;
  @Option(names = "--seconds", defaultValue = "PT5S", description = "Measured window per case, ISO-8601. Default ${DEFAULT-VALUE}.") Duration seconds;
  @Option(names = "--max-batch", defaultValue = "" + Batching.DEFAULT_MAX_BATCH, description = "The batched server's --max-batch. Default ${DEFAULT-VALUE}.") int maxBatch;
  @Option(names = "--max-wait", defaultValue = Batching.DEFAULT_MAX_WAIT, description = "The batched server's --max-wait. Default ${DEFAULT-VALUE}.") Duration maxWait;

  private static final int WARM_UP_CALLS = 200;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast(spec, "--calls", calls, 1);
    OptionChecks.range(spec, "--clients", clients, 1, 4096);
    OptionChecks.atLeast(spec, "--seconds", seconds, Duration.ofSeconds(1));
    OptionChecks.range(spec, "--max-batch", maxBatch, 2, 4096);
    OptionChecks.range(spec, "--max-wait", maxWait, Duration.ZERO, Duration.ofSeconds(1));
    Path dir = Files.createTempDirectory("ma3c-policy-bench");
    for (boolean lstm : new boolean[] {false, true}) {
      write(dir, lstm ? "lstm" : "ff", lstm);
    }
    SplittableRandom random = new SplittableRandom(1);
    for (String game : List.of("ff", "lstm")) {
      try (OnnxPolicy policy = new OnnxPolicy(dir.resolve(game + ".onnx"))) {
        byte[] obs = new byte[policy.observationSize()];
        OnnxPolicy.Decision d = null;
        for (int i = 0; i < 500; i++) {
          d = policy.act(obs, d == null ? null : d.h(), d == null ? null : d.c(), false, random);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
          d = policy.act(obs, d.h(), d.c(), false, random);
        }
        System.out.printf("in-process ONNX Runtime, %-4s: %.3f ms per step%n", game,
            (System.nanoTime() - t0) / 1e6 / calls);
        List<OnnxPolicy.Input> batch = new ArrayList<>();
        for (int i = 0; i < maxBatch; i++) {
          batch.add(new OnnxPolicy.Input(obs, d.h(), d.c(), false));
        }
        for (int i = 0; i < 50; i++) {
          policy.act(batch, random);
        }
        int runs = Math.max(1, calls / maxBatch);
        t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
          policy.act(batch, random);
        }
        System.out.printf("in-process ONNX Runtime, %-4s, batch of %d: %.3f ms per decision%n", game,
            maxBatch, (System.nanoTime() - t0) / 1e6 / runs / maxBatch);
      }
    }
    ActRequest request = ActRequest.newBuilder().setGame("ff")
        .setObservation(ByteString.copyFrom(new byte[4 * 84 * 84])).build();
    Batching batched = new Batching(maxBatch, maxWait, Batching.defaultWorkers());
    for (Batching batching : List.of(Batching.off(), batched)) {
      PolicyServer server = PolicyServer.tcp(InetAddress.getLoopbackAddress(), 0, dir,
          Duration.ofMinutes(10), ServerSecurity.Settings.none(), batching).start();
      try {
        String mode = batching.enabled()
            ? "batched (max " + batching.maxBatch() + ", wait " + batching.maxWait().toNanos() / 1000 + " us)"
            : "unbatched";
        for (int n : new int[] {1, clients}) {
          Load load = load(server.port(), request, n);
          System.out.printf("policy server (FF), %-30s %3d client%s: %,7.0f Act calls/s, latency p50 %.3f ms, p99 %.3f ms%n",
              mode + ",", n, n == 1 ? " " : "s", load.rate(), load.p50Millis(), load.p99Millis());
        }
      } finally {
        server.stop(Duration.ofSeconds(5));
      }
    }
    return 0;
  }

  /** Throughput over a common window, and the latency of every call in it. */
  private record Load(double rate, double p50Millis, double p99Millis) {}

  /**
   * {@code clients} threads, each calling Act back to back on its own connection (as separate
   * client processes would; one shared connection would put every call on one server thread for
   * its framing), with the clients' threads on the same cores as the server: after a warm-up they
   * all start together and stop at the same instant, so calls / window is the server's rate.
   */
  private Load load(int port, ActRequest request, int clients) throws Exception {
    ConcurrentHistogram latency = new ConcurrentHistogram(3);
    CyclicBarrier start = new CyclicBarrier(clients);
    long[] window = new long[2];
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<Long>> counts = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        counts.add(pool.submit(() -> oneClient(port, request, start, window, latency)));
      }
      long calls = 0;
      for (Future<Long> f : counts) {
        calls += f.get();
      }
      return new Load(calls / (seconds.toNanos() / 1e9), latency.getValueAtPercentile(50) / 1e6,
          latency.getValueAtPercentile(99) / 1e6);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Calls Act until the common window ends; returns the calls made in it. */
  private long oneClient(int port, ActRequest request, CyclicBarrier start, long[] window,
      ConcurrentHistogram latency) throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      PolicyGrpc.PolicyBlockingStub stub = PolicyGrpc.newBlockingStub(channel);
      for (int i = 0; i < WARM_UP_CALLS; i++) {
        stub.act(request);
      }
      if (start.await() == 0) {
        window[0] = System.nanoTime();
        window[1] = window[0] + seconds.toNanos();
      }
      start.await(); // the barrier publishes the window to every client
      long calls = 0;
      for (long now = System.nanoTime(); now < window[1]; calls++) {
        stub.act(request);
        long done = System.nanoTime();
        latency.recordValue(done - now);
        now = done;
      }
      return calls;
    } finally {
      channel.shutdownNow();
    }
  }

  private static void write(Path dir, String game, boolean lstm) throws Exception {
    ParameterLayout layout = new ParameterLayout(new NetSpec(Architecture.A3C, lstm, Map.of(game, 6)));
    ModelMetadata meta = new ModelMetadata(game, List.of("A", "B", "C", "D", "E", "F"), "a3c", lstm,
        layout.spec().frames(), 0, "{}", ModelMetadata.FORMAT_VERSION);
    Files.write(dir.resolve(game + ".onnx"), OnnxPolicyGraph.withParameters(layout, game,
        layout.initialParameters(1), meta.toProperties()).toByteArray());
  }
}
