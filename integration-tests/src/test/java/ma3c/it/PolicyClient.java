package ma3c.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import ma3c.policy.v1.ActRequest;
import ma3c.policy.v1.ActResponse;
import ma3c.policy.v1.ListModelsRequest;
import ma3c.policy.v1.ModelInfo;
import ma3c.policy.v1.PolicyGrpc;

/** Checks a running policy server from outside its container. */
final class PolicyClient implements AutoCloseable {
  private final ManagedChannel channel;
  private final PolicyGrpc.PolicyBlockingStub stub;

  PolicyClient(String host, int port) {
    channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
    stub = PolicyGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  List<ModelInfo> models() {
    return stub.listModels(ListModelsRequest.getDefaultInstance()).getModelsList();
  }

  /** Acts on a blank observation of the model's shape and checks the answer is a policy. */
  ActResponse actOnBlankScreen(ModelInfo model) {
    int size = model.getObservationShapeList().stream().reduce(1, (a, b) -> a * b);
    ActResponse response = stub.act(ActRequest.newBuilder().setGame(model.getGame())
        .setObservation(ByteString.copyFrom(new byte[size])).build());
    int actions = model.getActionMeaningsCount();
    assertTrue(response.getAction() >= 0 && response.getAction() < actions, response.toString());
    assertEquals(actions, response.getProbsCount());
    double sum = response.getProbsList().stream().mapToDouble(Float::doubleValue).sum();
    assertEquals(1.0, sum, 1e-4, "probs sum to 1");
    return response;
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
