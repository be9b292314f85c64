package ma3c.policy;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import ma3c.grpc.server.Echo;
import ma3c.grpc.server.MalformedRequests;
import ma3c.grpc.server.flow.OneRequestAtATime;
import ma3c.model.onnx.InvalidInputException;
import ma3c.model.onnx.ModelMetadata;
import ma3c.model.onnx.OnnxPolicy;
import ma3c.policy.v1.ActRequest;
import ma3c.policy.v1.ActResponse;
import ma3c.policy.v1.ActStreamResponse;
import ma3c.policy.v1.ListModelsRequest;
import ma3c.policy.v1.ListModelsResponse;
import ma3c.policy.v1.ModelInfo;
import ma3c.policy.v1.PolicyGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;

/**
 * The Policy gRPC service over the models of a ModelDirectory. What clients read never carries
 * ONNX Runtime's wording or a server path: unexpected failures answer INTERNAL "inference
 * failed", and their detail goes to the log, once per model (a broken model would otherwise log
 * on every request). Concurrent calls are batched per model when an ActBatcher is given.
 */
public final class PolicyService extends PolicyGrpc.PolicyImplBase {
  private static final Logger log = LoggerFactory.getLogger(PolicyService.class);
  /** What an ActStream receives for bytes that are not an ActRequest (compared by identity). */
  static final ActRequest MALFORMED = ActRequest.newBuilder().build();

  private final ModelDirectory models;
  private final ThreadLocal<SplittableRandom> random =
      ThreadLocal.withInitial(() -> new SplittableRandom(System.nanoTime()));
  private final Set<OnnxPolicy> failureLogged =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private final Timer actLatency;
  private final MeterRegistry meters;
  /** In-band errors of ActStream (a stream's own status counts each stream once, not each request). */
  private final Map<Status.Code, Counter> streamErrors = new ConcurrentHashMap<>();
  private final ActBatcher batcher;
  private final Set<ActStream> streams = ConcurrentHashMap.newKeySet();

  /** Undecodable requests: INVALID_ARGUMENT, in-band on an ActStream. */
  static MalformedRequests malformedRequests() {
    return new MalformedRequests(Map.of(PolicyGrpc.getActStreamMethod().getFullMethodName(),
        MALFORMED));
  }

  /** Every call runs alone on its gRPC thread. */
  public PolicyService(ModelDirectory models, MeterRegistry metrics) {
    this(models, metrics, null);
  }

  /** Calls go through {@code batcher} (null: each runs alone on its gRPC thread). */
  PolicyService(ModelDirectory models, MeterRegistry metrics, ActBatcher batcher) {
    this.models = models;
    this.batcher = batcher;
    this.meters = metrics;
    this.actLatency = Timer.builder("policy.act").description("Decisions answered, by Act and ActStream")
        .publishPercentileHistogram().register(metrics);
  }

  @Override
  public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> out) {
    ListModelsResponse.Builder response = ListModelsResponse.newBuilder();
    models.models().values().forEach(p -> response.addModels(info(p)));
    out.onNext(response.build());
    out.onCompleted();
  }

  static ModelInfo info(OnnxPolicy p) {
    ModelMetadata m = p.metadata();
    ModelInfo.Builder info = ModelInfo.newBuilder()
        .setGame(m.game())
        .addAllActionMeanings(m.actionMeanings())
        .setStateSize(p.stateSize())
        .setArchitecture(m.architecture())
        .setFramesTrained(m.framesTrained())
        .setPreprocessing(m.preprocessing())
        .setFile(p.fileName());
    for (int d : p.observationShape()) {
      info.addObservationShape(d);
    }
    return info.build();
  }

  /** Where one decision's outcome goes: an answer or a status (once). */
  private interface Outcome {
    void decided(ActResponse response);

    void failed(Status status);
  }

  @Override
  public void act(ActRequest request, StreamObserver<ActResponse> out) {
    decide(request, new Outcome() {
      @Override
      public void decided(ActResponse response) {
        out.onNext(response);
        out.onCompleted();
      }

      @Override
      public void failed(Status status) {
        out.onError(status.asRuntimeException());
      }
    });
  }

  @Override
  public StreamObserver<ActRequest> actStream(StreamObserver<ActStreamResponse> out) {
    ActStream stream = new ActStream((ServerCallStreamObserver<ActStreamResponse>) out);
    streams.add(stream);
    return stream;
  }

  /** Ends every open ActStream with UNAVAILABLE: the server is stopping. */
  void endStreams() {
    streams.forEach(ActStream::stopping);
  }

  /**
   * One ActStream. Its requests are read one at a time, the next once the last is answered and
   * the client is taking answers (gRPC's outbound flow control says it is ready): answers keep
   * their order even when a stream's requests would land in different batches, and a client that
   * sends ahead, or stops reading, is held back by gRPC's flow control, not by a queue here.
   */
  private final class ActStream implements StreamObserver<ActRequest>, Outcome {
    private final ServerCallStreamObserver<ActStreamResponse> out;
    private final OneRequestAtATime requests;
    private boolean deciding;
    private boolean halfClosed;
    private boolean cancelled;

    ActStream(ServerCallStreamObserver<ActStreamResponse> out) {
      this.out = out;
      requests = new OneRequestAtATime(out, this, () -> cancelled);
      out.setOnCancelHandler(this::cancelled);
      requests.first();
    }

    @Override
    public void onNext(ActRequest request) {
      synchronized (this) {
        deciding = true;
      }
      if (request == MALFORMED) {
        failed(Status.INVALID_ARGUMENT.withDescription(
            "malformed request: not a valid ma3c.policy.v1.ActRequest"));
        return;
      }
      decide(request, this);
    }

    @Override
    public void decided(ActResponse response) {
      answer(ActStreamResponse.newBuilder().setDecision(response).build());
    }

    @Override
    public void failed(Status status) {
      streamErrors.computeIfAbsent(status.getCode(), code -> Counter.builder("policy.errors.inband")
          .description("ActStream requests answered with an in-band error, by status code")
          .tag("code", code.name()).register(meters)).increment();
      answer(ActStreamResponse.newBuilder().setError(com.google.rpc.Status.newBuilder()
          .setCode(status.getCode().value())
          .setMessage(status.getDescription() == null ? "" : status.getDescription())).build());
    }

    private synchronized void answer(ActStreamResponse response) {
      deciding = false;
      if (cancelled) {
        return;
      }
      out.onNext(response);
      if (halfClosed) {
        out.onCompleted();
        streams.remove(this);
      } else {
        requests.next();
      }
    }

    private synchronized void cancelled() {
      cancelled = true; // the client cancelled or went away: nothing more to answer
      streams.remove(this);
    }

    private synchronized void stopping() {
      if (!cancelled) {
        cancelled = true;
        out.onError(Status.UNAVAILABLE.withDescription("policy server stopping").asRuntimeException());
      }
      streams.remove(this);
    }

    @Override
    public void onError(Throwable t) {
      // The client cancelled: cancelled() has run, and a decision under way is not sent.
    }

    @Override
    public synchronized void onCompleted() {
      halfClosed = true;
      if (!deciding && !cancelled) {
        out.onCompleted();
        streams.remove(this);
      }
    }
  }

  /** Decides on one request: alone, or through the batcher. */
  private void decide(ActRequest request, Outcome outcome) {
    long start = System.nanoTime();
    Optional<OnnxPolicy> found = models.forGame(request.getGame());
    if (found.isEmpty()) {
      Optional<String> refusal = models.refusal(request.getGame());
      outcome.failed(refusal.isPresent()
          ? Status.FAILED_PRECONDITION.withDescription(refusal.get())
          : Status.NOT_FOUND.withDescription("no model for game '" + Echo.of(request.getGame())
              + "'; loaded: " + models.models().keySet()));
      return;
    }
    OnnxPolicy policy = found.get();
    OnnxPolicy.Input input = new OnnxPolicy.Input(request.getObservation().toByteArray(),
        toArray(request.getHList()), toArray(request.getCList()), request.getGreedy());
    try {
      // Checked alone, so that one caller's mistake never fails the batch it would have joined.
      policy.check(input);
    } catch (InvalidInputException e) {
      outcome.failed(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
      return;
    }
    ActBatcher.Reply reply = new ActBatcher.Reply() {
      @Override
      public void decided(OnnxPolicy.Decision d) {
        actLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        outcome.decided(response(d));
      }

      @Override
      public void failed(Exception e) {
        outcome.failed(failure(policy, e));
      }
    };
    if (batcher == null) {
      OnnxPolicy.Decision d;
      try {
        d = policy.act(List.of(input), random.get()).get(0);
      } catch (Exception e) {
        reply.failed(e);
        return;
      }
      reply.decided(d);
      return;
    }
    try {
      batcher.submit(new ActBatcher.Call(policy, input, start, reply));
    } catch (ActBatcher.OverloadedException e) {
      outcome.failed(Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()));
    }
  }

  private static ActResponse response(OnnxPolicy.Decision d) {
    ActResponse.Builder builder = ActResponse.newBuilder().setAction(d.action()).setValue(d.value());
    for (float p : d.probs()) {
      builder.addProbs(p);
    }
    for (float v : d.h()) {
      builder.addH(v);
    }
    for (float v : d.c()) {
      builder.addC(v);
    }
    return builder.build();
  }

  private Status failure(OnnxPolicy policy, Exception e) {
    if (e instanceof InterruptedException) {
      return Status.UNAVAILABLE.withDescription("policy server stopping");
    }
    if (failureLogged.add(policy)) {
      log.warn("inference with {} failed (logged once per model; later failures at DEBUG)",
          policy.fileName(), e);
    } else {
      log.debug("inference with {} failed", policy.fileName(), e);
    }
    return Status.INTERNAL.withDescription("inference failed");
  }

  private static float[] toArray(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
