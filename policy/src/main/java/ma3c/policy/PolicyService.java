package ma3c.policy;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.WeakHashMap;
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
 * on every request).
 */
public final class PolicyService extends PolicyGrpc.PolicyImplBase {
  private static final Logger log = LoggerFactory.getLogger(PolicyService.class);

  private final ModelDirectory models;
  private final ThreadLocal<SplittableRandom> random =
      ThreadLocal.withInitial(() -> new SplittableRandom(System.nanoTime()));
  private final Set<OnnxPolicy> failureLogged =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private final Timer actLatency;

  public PolicyService(ModelDirectory models, MeterRegistry metrics) {
    this.models = models;
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
    ActResponse response;
    long start = System.nanoTime();
    try {
      OnnxPolicy.Decision d = policy.act(request.getObservation().toByteArray(),
          toArray(request.getHList()), toArray(request.getCList()), request.getGreedy(),
          random.get());
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
      response = builder.build();
    } catch (InvalidInputException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (Exception e) {
      if (failureLogged.add(policy)) {
        log.warn("inference with {} failed (logged once per model; later failures at DEBUG)",
            policy.fileName(), e);
      } else {
        log.debug("inference with {} failed", policy.fileName(), e);
      }
      out.onError(Status.INTERNAL.withDescription("inference failed").asRuntimeException());
      return;
    }
    actLatency.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    out.onNext(response);
    out.onCompleted();
  }

  private static float[] toArray(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
