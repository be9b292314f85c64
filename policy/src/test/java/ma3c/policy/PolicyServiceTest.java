package ma3c.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import ma3c.model.Architecture;
import ma3c.model.onnx.TestModels;
import ma3c.policy.v1.ActRequest;
import ma3c.policy.v1.PolicyGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The status codes and messages clients get from Act. */
class PolicyServiceTest {
  @TempDir Path dir;
  private ModelDirectory models;
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private Server server;
  private ManagedChannel channel;
  private PolicyGrpc.PolicyBlockingStub stub;

  @BeforeEach
  void start() throws Exception {
    TestModels.write(dir, "pong", false, Architecture.A3C, 1);
    TestModels.write(dir, "breakout", true, Architecture.A3C, 2);
    TestModels.write(dir, "qbert", TestModels.withParameter(
        TestModels.model("qbert", false, Architecture.A3C, 3, TestModels.ACTIONS), "pi_w", 5, Float.NaN));
    // A truncated file: too broken to say its game, so its name says it.
    byte[] whole = Files.readAllBytes(dir.resolve("pong.onnx"));
    Files.write(dir.resolve("seaquest.onnx"), Arrays.copyOf(whole, whole.length / 2));
    models = new ModelDirectory(dir, Duration.ofMillis(50));
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new PolicyService(models, metrics)).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = PolicyGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
    models.close();
  }

  private static ActRequest.Builder request(String game, int frames) {
    return ActRequest.newBuilder().setGame(game).setObservation(ByteString.copyFrom(new byte[frames * 84 * 84]));
  }

  private Status fail(ActRequest.Builder request) {
    return assertThrows(StatusRuntimeException.class, () -> stub.act(request.build())).getStatus();
  }

  @Test
  void aRefusedModelIsAFailedPreconditionThatSaysWhy() {
    Status s = fail(request("qbert", 4));
    assertEquals(Status.Code.FAILED_PRECONDITION, s.getCode());
    assertTrue(s.getDescription().contains("qbert.onnx") && s.getDescription().contains("not all finite"),
        s.getDescription());
    assertFalse(s.getDescription().contains(dir.toString()), "no server path: " + s.getDescription());
    assertEquals(Status.Code.NOT_FOUND, fail(request("tetris", 4)).getCode());
    Status truncated = fail(request("seaquest", 4));
    assertEquals(Status.Code.FAILED_PRECONDITION, truncated.getCode());
    assertTrue(truncated.getDescription().contains("seaquest.onnx")
        && truncated.getDescription().contains("truncated or corrupt"), truncated.getDescription());
  }

  @Test
  void anUnknownGameIsEchoedCutShort() {
    Status s = fail(request("x".repeat(100_000), 4));
    assertEquals(Status.Code.NOT_FOUND, s.getCode());
    assertTrue(s.getDescription().length() < 500, s.getDescription().length() + " characters");
  }

  @Test
  void decisionsAreTimedAndRefusalsAreNot() {
    stub.act(request("pong", 4).build());
    stub.act(request("pong", 4).build());
    fail(request("tetris", 4));
    assertEquals(2, metrics.get("policy.act").timer().count());
  }

  @Test
  void badRecurrentStatesAreInvalidArguments() {
    Status ff = fail(request("pong", 4).addH(0f).addC(0f));
    assertEquals(Status.Code.INVALID_ARGUMENT, ff.getCode());
    assertTrue(ff.getDescription().contains("feed-forward"), ff.getDescription());
    ActRequest.Builder nan = request("breakout", 1);
    for (int i = 0; i < 256; i++) {
      nan.addH(i == 9 ? Float.NaN : 0f).addC(0f);
    }
    Status s = fail(nan);
    assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
    assertTrue(s.getDescription().contains("h[9] is NaN"), s.getDescription());
    Status size = fail(request("breakout", 1).addH(1f).addC(1f));
    assertEquals(Status.Code.INVALID_ARGUMENT, size.getCode());
    assertTrue(size.getDescription().contains("256"), size.getDescription());
  }

  @Test
  void unexpectedFailuresAreInternalWithoutDetailAndLoggedOnce() throws Exception {
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    Logger logger = (Logger) LoggerFactory.getLogger(PolicyService.class);
    logger.addAppender(logged);
    try {
      models.forGame("pong").orElseThrow().close(); // ONNX Runtime now fails every call
      for (int call = 0; call < 3; call++) {
        Status s = fail(request("pong", 4));
        assertEquals(Status.Code.INTERNAL, s.getCode());
        assertEquals("inference failed", s.getDescription());
      }
      assertEquals(1, logged.list.stream().filter(e -> e.getLevel() == Level.WARN).count());
      assertTrue(logged.list.get(0).getFormattedMessage().contains("pong.onnx"));
    } finally {
      logger.detachAppender(logged);
    }
  }
}
