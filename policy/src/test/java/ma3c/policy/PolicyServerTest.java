package ma3c.policy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import ma3c.model.Architecture;
import ma3c.model.onnx.TestModels;
import ma3c.policy.v1.ActRequest;
import ma3c.policy.v1.ActResponse;
import ma3c.policy.v1.ListModelsRequest;
import ma3c.policy.v1.ModelInfo;
import ma3c.policy.v1.PolicyGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyServerTest {
  @TempDir Path models;
  private PolicyServer server;
  private ManagedChannel channel;
  private PolicyGrpc.PolicyBlockingStub stub;

  @BeforeEach
  void start() throws Exception {
    TestModels.write(models, "pong", false, Architecture.A3C, 1);
    TestModels.write(models, "breakout", true, Architecture.MA3C_1, 2);
    String name = InProcessServerBuilder.generateName();
    server = new PolicyServer(InProcessServerBuilder.forName(name).directExecutor(), models,
        Duration.ofMillis(100), Batching.defaults()).start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = PolicyGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.stop(Duration.ofSeconds(5));
  }

  private static ByteString observation(int frames) {
    byte[] obs = new byte[frames * 84 * 84];
    for (int i = 0; i < obs.length; i++) {
      obs[i] = (byte) (i * 31);
    }
    return ByteString.copyFrom(obs);
  }

  @Test
  void listsEveryModelWithItsMetadata() {
    var models = stub.listModels(ListModelsRequest.getDefaultInstance()).getModelsList();
    assertEquals(2, models.size());
    ModelInfo breakout = models.get(0);
    assertEquals("breakout", breakout.getGame());
    assertEquals(256, breakout.getStateSize());
    assertEquals(TestModels.ACTIONS, breakout.getActionMeaningsList());
    assertEquals(java.util.List.of(1, 84, 84), breakout.getObservationShapeList());
    assertEquals(0, models.get(1).getStateSize(), "pong is feed-forward");
    assertEquals(java.util.List.of(4, 84, 84), models.get(1).getObservationShapeList());
  }

  @Test
  void actAnswersWithADistributionAndCarriesTheRecurrentState() {
    ActResponse first = stub.act(ActRequest.newBuilder().setGame("breakout")
        .setObservation(observation(1)).setGreedy(true).build());
    assertEquals(4, first.getProbsCount());
    double sum = first.getProbsList().stream().mapToDouble(Float::doubleValue).sum();
    assertEquals(1.0, sum, 1e-5);
    assertEquals(256, first.getHCount());
    int best = 0;
    for (int a = 1; a < 4; a++) {
      best = first.getProbs(a) > first.getProbs(best) ? a : best;
    }
    assertEquals(best, first.getAction(), "greedy takes the most probable action");
    ActResponse second = stub.act(ActRequest.newBuilder().setGame("breakout")
        .setObservation(observation(1)).addAllH(first.getHList()).addAllC(first.getCList()).build());
    assertTrue(!second.getHList().equals(first.getHList()), "the state moves on");
  }

  @Test
  void malformedRequestsAreInvalidArgumentAndUnknownGamesNotFound() {
    StatusRuntimeException shortObs = assertThrows(StatusRuntimeException.class, () -> stub.act(
        ActRequest.newBuilder().setGame("pong").setObservation(observation(1)).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, shortObs.getStatus().getCode());
    assertTrue(shortObs.getStatus().getDescription().contains("28224"), shortObs.getMessage());
    StatusRuntimeException badState = assertThrows(StatusRuntimeException.class, () -> stub.act(
        ActRequest.newBuilder().setGame("breakout").setObservation(observation(1)).addH(1f).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, badState.getStatus().getCode());
    StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> stub.act(
        ActRequest.newBuilder().setGame("tetris").setObservation(observation(4)).build()));
    assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
  }

  @Test
  void reloadsModelsWhenFilesChangeAppearOrGo() throws Exception {
    TestModels.write(models, "catch", false, Architecture.A3C, 3);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        stub.listModels(ListModelsRequest.getDefaultInstance()).getModelsCount() == 3);
    Files.write(models.resolve("broken.onnx"), new byte[] {1, 2, 3});
    Files.delete(models.resolve("pong.onnx"));
    await().atMost(Duration.ofSeconds(10)).until(() ->
        stub.listModels(ListModelsRequest.getDefaultInstance()).getModelsCount() == 2);
    assertEquals(4, stub.act(ActRequest.newBuilder().setGame("catch").setObservation(observation(4))
        .build()).getProbsCount(), "a bad file beside good ones does not stop serving");
  }
}
