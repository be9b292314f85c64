package ma3c.policy;

import ma3c.model.NetSpec;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.SplittableRandom;
import ma3c.policy.v1.ActRequest;
import ma3c.policy.v1.ActResponse;
import ma3c.policy.v1.ListModelsRequest;
import ma3c.policy.v1.ListModelsResponse;
import ma3c.policy.v1.ModelInfo;
import ma3c.policy.v1.PolicyGrpc;

/** The Policy gRPC service over the models of a ModelDirectory. */
public final class PolicyService extends PolicyGrpc.PolicyImplBase {
  private final ModelDirectory models;
  private final ThreadLocal<SplittableRandom> random =
      ThreadLocal.withInitial(() -> new SplittableRandom(System.nanoTime()));

  public PolicyService(ModelDirectory models) {
    this.models = models;
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
    return ModelInfo.newBuilder()
        .setGame(m.game())
        .addAllActionMeanings(m.actionMeanings())
        .addObservationShape(m.framesStacked()).addObservationShape(NetSpec.SIZE)
        .addObservationShape(NetSpec.SIZE)
        .setStateSize(p.stateSize())
        .setArchitecture(m.architecture())
        .setFramesTrained(m.framesTrained())
        .setPreprocessing(m.preprocessing())
        .setFile(p.file().getFileName().toString())
        .build();
  }

  @Override
  public void act(ActRequest request, StreamObserver<ActResponse> out) {
    OnnxPolicy policy = models.forGame(request.getGame()).orElse(null);
    if (policy == null) {
      out.onError(Status.NOT_FOUND.withDescription("no model for game '" + request.getGame()
          + "'; loaded: " + models.models().keySet()).asRuntimeException());
      return;
    }
    try {
      OnnxPolicy.Decision d = policy.act(request.getObservation().toByteArray(),
          toArray(request.getHList()), toArray(request.getCList()), request.getGreedy(), random.get());
      ActResponse.Builder response = ActResponse.newBuilder().setAction(d.action()).setValue(d.value());
      for (float p : d.probs()) {
        response.addProbs(p);
      }
      for (float v : d.h()) {
        response.addH(v);
      }
      for (float v : d.c()) {
        response.addC(v);
      }
      out.onNext(response.build());
      out.onCompleted();
    } catch (IllegalArgumentException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
    } catch (Exception e) {
      out.onError(Status.INTERNAL.withDescription("inference failed: " + e.getMessage()).asRuntimeException());
    }
  }

  private static float[] toArray(java.util.List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
