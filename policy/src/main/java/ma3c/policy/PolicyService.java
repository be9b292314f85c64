package ma3c.policy;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import ma3c.model.onnx.InvalidInputException;
import ma3c.model.onnx.ModelMetadata;
import ma3c.model.onnx.OnnxPolicy;
import ma3c.policy.v1.ActRequest;
import ma3c.policy.v1.ActResponse;
import ma3c.policy.v1.ListModelsRequest;
import ma3c.policy.v1.ListModelsResponse;
import ma3c.policy.v1.ModelInfo;
import ma3c.policy.v1.PolicyGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The Policy gRPC service over the models of a ModelDirectory. What clients read never carries
 * ONNX Runtime's wording or a server path: unexpected failures answer INTERNAL "inference
 * failed", and their detail goes to the log, once per model (a broken model would otherwise log
 * on every request). Concurrent calls are batched per model when an ActBatcher is given.
 */
public final class PolicyService extends PolicyGrpc.PolicyImplBase {
  private static final Logger log = LoggerFactory.getLogger(PolicyService.class);

  private final ModelDirectory models;
  private final ThreadLocal<SplittableRandom> random =
      ThreadLocal.withInitial(() -> new SplittableRandom(System.nanoTime()));
  private final Set<OnnxPolicy> failureLogged =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private final Timer actLatency;
  private final ActBatcher batcher;

  /** Every call runs alone on its gRPC thread. */
  public PolicyService(ModelDirectory models, MeterRegistry metrics) {
    this(models, metrics, null);
  }

  /** Calls go through {@code batcher} (null: each runs alone on its gRPC thread). */
  PolicyService(ModelDirectory models, MeterRegistry metrics, ActBatcher batcher) {
    this.models = models;
    this.batcher = batcher;
    this.actLatency = Timer.builder("policy.act").description("Act calls answered with a decision")
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

  @Override
  public void act(ActRequest request, StreamObserver<ActResponse> out) {
    long start = System.nanoTime();
    Optional<OnnxPolicy> found = models.forGame(request.getGame());
    if (found.isEmpty()) {
      Optional<String> refusal = models.refusal(request.getGame());
      out.onError((refusal.isPresent()
          ? Status.FAILED_PRECONDITION.withDescription(refusal.get())
          : Status.NOT_FOUND.withDescription("no model for game '" + request.getGame()
              + "'; loaded: " + models.models().keySet())).asRuntimeException());
      return;
    }
    OnnxPolicy policy = found.get();
    OnnxPolicy.Input input = new OnnxPolicy.Input(request.getObservation().toByteArray(),
        toArray(request.getHList()), toArray(request.getCList()), request.getGreedy());
    try {
      // Checked alone, so that one caller's mistake never fails the batch it would have joined.
      policy.check(input);
    } catch (InvalidInputException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    ActBatcher.Reply reply = new ActBatcher.Reply() {
      @Override
      public void decided(OnnxPolicy.Decision d) {
        actLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        out.onNext(response(d));
        out.onCompleted();
      }

      @Override
      public void failed(Exception e) {
        out.onError(failure(policy, e).asRuntimeException());
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
      out.onError(Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asRuntimeException());
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
