package ma3c.policy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import ma3c.cli.OptionChecks;
import ma3c.cli.ProjectVersion;
import ma3c.grpc.server.security.ServerSecurity;
import ma3c.model.Architecture;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;
import ma3c.model.onnx.ModelMetadata;
import ma3c.model.onnx.OnnxPolicy;
import ma3c.model.onnx.OnnxPolicyGraph;
import ma3c.policy.v1.ActRequest;
import ma3c.policy.v1.ActResponse;
import ma3c.policy.v1.ActStreamResponse;
import ma3c.policy.v1.PolicyGrpc;
import org.HdrHistogram.ConcurrentHistogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Policy inference in one run: ONNX Runtime in-process per step (FF and LSTM), then decisions/s
 * and latency through the policy server on loopback with one and with many clients, unbatched and
 * batched side by side, a call per decision (Act) and over a stream (ActStream), the clients
 * waiting in a thread each or called back (they run in this process, on the same cores as the
 * server).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
    description = "Measure in-process inference per step and policy-server Act latency and throughput.")
public final class PolicyBenchmark implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Option(names = "--calls", defaultValue = "5000", description = "Measured calls per case, at least 1.") int calls;
  @Option(names = "--clients", defaultValue = "64", description = "Concurrent clients, at least 1. Default ${DEFAULT-VALUE}.") int clients;
  @Option(names = "--seconds", defaultValue = "PT5S", description = "Measured window per case, ISO-8601. Default ${DEFAULT-VALUE}.") Duration seconds;
  @Option(names = "--max-batch", defaultValue = "" + Batching.DEFAULT_MAX_BATCH, description = "The batched server's --max-batch. Default ${DEFAULT-VALUE}.") int maxBatch;
  @Option(names = "--max-wait", defaultValue = Batching.DEFAULT_MAX_WAIT, description = "The batched server's --max-wait. Default ${DEFAULT-VALUE}.") Duration maxWait;

  private static final int WARM_UP_CALLS = 200;
  /** The async clients' warm-up: about as long as 200 calls of a blocking client take. */
  private static final Duration ASYNC_WARM_UP = Duration.ofSeconds(2);

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
        for (ClientKind kind : ClientKind.values()) {
          for (int n : new int[] {1, clients}) {
            Load load = switch (kind) {
              case ACT -> load(server.port(), request, n, false);
              case STREAM -> load(server.port(), request, n, true);
              case ASYNC_ACT -> asyncLoad(server.port(), request, n, false);
              case ASYNC_STREAM -> asyncLoad(server.port(), request, n, true);
            };
            System.out.printf("policy server (FF), %-30s %-26s %3d client%s: %,7.0f decisions/s, latency p50 %.3f ms, p99 %.3f ms%n",
                mode + ",", kind.label + ",", n, n == 1 ? " " : "s", load.rate(),
                load.p50Millis(), load.p99Millis());
          }
        }
      } finally {
        server.stop(Duration.ofSeconds(5));
      }
    }
    return 0;
  }

  /** How the clients ask: a call per decision or one stream each; waiting in a thread or called back. */
  private enum ClientKind {
    ACT("Act, a thread each"),
    STREAM("ActStream, a thread each"),
    ASYNC_ACT("Act, called back"),
    ASYNC_STREAM("ActStream, called back");

    final String label;

    ClientKind(String label) {
      this.label = label;
    }
  }

  /** Throughput over a common window, and the latency of every call in it. */
  private record Load(double rate, double p50Millis, double p99Millis) {}

  /**
   * {@code clients} threads, each calling Act back to back on its own connection (as separate
   * client processes would; one shared connection would put every call on one server thread for
   * its framing), with the clients' threads on the same cores as the server: after a warm-up they
   * all start together and stop at the same instant, so calls / window is the server's rate.
   */
  private Load load(int port, ActRequest request, int clients, boolean stream) throws Exception {
    ConcurrentHistogram latency = new ConcurrentHistogram(3);
    CyclicBarrier start = new CyclicBarrier(clients);
    long[] window = new long[2];
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<Long>> counts = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        counts.add(pool.submit(() -> oneClient(port, request, stream, start, window, latency)));
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

  /** Decides until the common window ends, a call each or over one stream; returns the decisions made in it. */
  private long oneClient(int port, ActRequest request, boolean stream, CyclicBarrier start,
      long[] window, ConcurrentHistogram latency) throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try (Decider decider = stream ? new StreamDecider(channel) : unary(channel)) {
      for (int i = 0; i < WARM_UP_CALLS; i++) {
        decider.decide(request);
      }
      if (start.await() == 0) {
        window[0] = System.nanoTime();
        window[1] = window[0] + seconds.toNanos();
      }
      start.await(); // the barrier publishes the window to every client
      long calls = 0;
      for (long now = System.nanoTime(); now < window[1]; calls++) {
        decider.decide(request);
        long done = System.nanoTime();
        latency.recordValue(done - now);
        now = done;
      }
      return calls;
    } finally {
      channel.shutdownNow();
    }
  }

  /**
   * {@code clients} clients, each on its own connection, each asking for its next decision from
   * the callback that receives the last (grpc-java's own async benchmark client): no thread waits
   * per client. Decisions asked for in the common window after a warm-up are counted.
   */
  private Load asyncLoad(int port, ActRequest request, int clients, boolean stream) throws Exception {
    ConcurrentHistogram latency = new ConcurrentHistogram(3);
    AtomicLong decisions = new AtomicLong();
    long from = System.nanoTime() + ASYNC_WARM_UP.toNanos();
    long to = from + seconds.toNanos();
    CountDownLatch finished = new CountDownLatch(clients);
    AtomicReference<Object> failure = new AtomicReference<>();
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      for (int c = 0; c < clients; c++) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
            .directExecutor().build();
        channels.add(channel);
        AsyncClient client = stream ? new AsyncStreamClient(PolicyGrpc.newStub(channel), request)
            : new AsyncActClient(PolicyGrpc.newStub(channel), request);
        client.start(from, to, latency, decisions, finished, failure);
      }
      if (!finished.await(ASYNC_WARM_UP.plus(seconds).plusSeconds(30).toNanos(), TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("the async clients did not finish");
      }
      if (failure.get() != null) {
        throw new IllegalStateException("a client failed: " + failure.get());
      }
      return new Load(decisions.get() / (seconds.toNanos() / 1e9),
          latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6);
    } finally {
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }

  /** One decision outstanding; the next asked for when its answer comes, until the window ends. */
  private abstract static class AsyncClient {
    private long from;
    private long to;
    private ConcurrentHistogram latency;
    private AtomicLong decisions;
    protected CountDownLatch finished;
    private AtomicReference<Object> failure;
    private long sentAt;

    final void start(long from, long to, ConcurrentHistogram latency, AtomicLong decisions,
        CountDownLatch finished, AtomicReference<Object> failure) {
      this.from = from;
      this.to = to;
      this.latency = latency;
      this.decisions = decisions;
      this.finished = finished;
      this.failure = failure;
      ask();
    }

    final void ask() {
      sentAt = System.nanoTime();
      send();
    }

    final void answered() {
      long now = System.nanoTime();
      if (sentAt >= from && sentAt < to) {
        decisions.incrementAndGet();
        latency.recordValue(now - sentAt);
      }
      if (now < to) {
        ask();
      } else {
        stop();
      }
    }

    final void failed(Object why) {
      failure.compareAndSet(null, why);
      finished.countDown();
    }

    abstract void send();

    /** Ends this client; counts down {@code finished} once it has ended. */
    abstract void stop();
  }

  /** A call per decision. */
  private static final class AsyncActClient extends AsyncClient implements StreamObserver<ActResponse> {
    private final PolicyGrpc.PolicyStub stub;
    private final ActRequest request;

    AsyncActClient(PolicyGrpc.PolicyStub stub, ActRequest request) {
      this.stub = stub;
      this.request = request;
    }

    @Override
    void send() {
      stub.act(request, this);
    }

    @Override
    void stop() {
      finished.countDown();
    }

    @Override
    public void onNext(ActResponse answer) {}

    @Override
    public void onError(Throwable t) {
      failed(t);
    }

    @Override
    public void onCompleted() {
      answered();
    }
  }

  /** One stream for all its decisions. */
  private static final class AsyncStreamClient extends AsyncClient implements StreamObserver<ActStreamResponse> {
    private final StreamObserver<ActRequest> requests;
    private final ActRequest request;

    AsyncStreamClient(PolicyGrpc.PolicyStub stub, ActRequest request) {
      this.request = request;
      this.requests = stub.actStream(this);
    }

    @Override
    void send() {
      requests.onNext(request);
    }

    @Override
    void stop() {
      requests.onCompleted(); // the server then completes: onCompleted below
    }

    @Override
    public void onNext(ActStreamResponse answer) {
      if (answer.hasError()) {
        failed(answer.getError());
        requests.onCompleted();
        return;
      }
      answered();
    }

    @Override
    public void onError(Throwable t) {
      failed(t);
    }

    @Override
    public void onCompleted() {
      finished.countDown();
    }
  }

  /** One client's way of getting a decision, waiting for it. */
  private interface Decider extends AutoCloseable {
    void decide(ActRequest request) throws Exception;

    @Override
    default void close() {}
  }

  private static Decider unary(ManagedChannel channel) {
    PolicyGrpc.PolicyBlockingStub stub = PolicyGrpc.newBlockingStub(channel);
    return stub::act;
  }

  /** Sends each request on one ActStream and waits for its answer, as a blocking caller would. */
  private static final class StreamDecider implements Decider {
    private final BlockingQueue<ActStreamResponse> answers = new ArrayBlockingQueue<>(1);
    private final StreamObserver<ActRequest> requests;

    StreamDecider(ManagedChannel channel) {
      requests = PolicyGrpc.newStub(channel).actStream(new StreamObserver<>() {
        @Override
        public void onNext(ActStreamResponse answer) {
          answers.add(answer);
        }

        @Override
        public void onError(Throwable t) {
          answers.add(ActStreamResponse.newBuilder().setError(com.google.rpc.Status.newBuilder()
              .setCode(Status.fromThrowable(t).getCode().value()).setMessage(String.valueOf(t))).build());
        }

        @Override
        public void onCompleted() {}
      });
    }

    @Override
    public void decide(ActRequest request) throws Exception {
      requests.onNext(request);
      ActStreamResponse answer = answers.take();
      if (answer.hasError()) {
        throw new IllegalStateException("ActStream answered " + answer.getError());
      }
    }

    @Override
    public void close() {
      requests.onCompleted();
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
