package ma3c.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import ma3c.model.Architecture;
import ma3c.model.onnx.OnnxPolicy;
import ma3c.model.onnx.TestModels;
import ma3c.policy.v1.ActRequest;
import ma3c.policy.v1.ActResponse;
import ma3c.policy.v1.PolicyGrpc;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent Act calls answered in batches: the same answers, and each caller's errors its own. */
class ActBatcherTest {
  private static final int CALLERS = 16;
  private static final int QUEUE = 8;

  @TempDir Path dir;
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private ModelDirectory models;
  private ActBatcher batcher;
  private Server server;
  private ManagedChannel channel;
  private final ExecutorService callers = Executors.newFixedThreadPool(CALLERS);

  @BeforeEach
  void start() throws Exception {
    TestModels.write(dir, "breakout", true, Architecture.A3C, 2);
    models = new ModelDirectory(dir, Duration.ofMillis(50));
    // A long wait, so that concurrent callers surely share batches.
    batcher = new ActBatcher(8, Duration.ofMillis(200), 1, QUEUE, metrics);
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).executor(callers)
        .addService(new PolicyService(models, metrics, batcher)).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow();
    batcher.close();
    callers.shutdownNow();
    models.close();
  }

  private static ActRequest request(SplittableRandom r, boolean withState) {
    byte[] obs = new byte[84 * 84];
    for (int i = 0; i < obs.length; i++) {
      obs[i] = (byte) r.nextInt(256);
    }
    ActRequest.Builder b = ActRequest.newBuilder().setGame("breakout").setGreedy(true)
        .setObservation(ByteString.copyFrom(obs));
    for (int i = 0; withState && i < 256; i++) {
      b.addH((float) r.nextDouble()).addC((float) -r.nextDouble());
    }
    return b.build();
  }

  @Test
  void concurrentCallsShareRunsAndGetTheirOwnAnswers() throws Exception {
    SplittableRandom r = new SplittableRandom(5);
    List<ActRequest> requests = new ArrayList<>();
    for (int i = 0; i < QUEUE; i++) {
      requests.add(request(r, i % 3 != 0));
    }
    CountDownLatch release = holdTheWorker();
    ExecutorService clients = Executors.newFixedThreadPool(requests.size());
    try {
      List<Future<ActResponse>> answers = new ArrayList<>();
      for (ActRequest q : requests) {
        answers.add(clients.submit(() -> PolicyGrpc.newBlockingStub(channel).act(q)));
      }
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> metrics.get("policy.act.queued").gauge().value() == requests.size());
      release.countDown();
      OnnxPolicy alone = models.forGame("breakout").orElseThrow();
      for (int i = 0; i < requests.size(); i++) {
        ActRequest q = requests.get(i);
        OnnxPolicy.Decision expected = alone.act(q.getObservation().toByteArray(),
            toArray(q.getHList()), toArray(q.getCList()), true, null);
        ActResponse got = answers.get(i).get();
        assertArrayEquals(expected.probs(), toArray(got.getProbsList()), 1e-5f, "probs of call " + i);
        assertArrayEquals(expected.h(), toArray(got.getHList()), 1e-5f, "h of call " + i);
        assertEquals(expected.value(), got.getValue(), 1e-5f);
      }
    } finally {
      clients.shutdownNow();
    }
    var sizes = metrics.get("policy.act.batch.size").summary();
    assertEquals(1 + requests.size(), (long) sizes.totalAmount(), "every call answered by a batch");
    assertEquals(requests.size(), sizes.max(), "the calls that queued together ran together");
  }

  @Test
  void aCallerThatIsGoneLeavesTheWorkerAndTheOtherCallsAlone() throws Exception {
    OnnxPolicy policy = models.forGame("breakout").orElseThrow();
    OnnxPolicy.Input input = new OnnxPolicy.Input(new byte[84 * 84], null, null, true);
    CountDownLatch release = holdTheWorker();
    List<String> answered = new java.util.concurrent.CopyOnWriteArrayList<>();
    // What gRPC does when answering a call its client cancelled: it throws.
    batcher.submit(new ActBatcher.Call(policy, input, System.nanoTime(), new ActBatcher.Reply() {
      @Override
      public void decided(OnnxPolicy.Decision d) {
        throw Status.CANCELLED.withDescription("call already cancelled").asRuntimeException();
      }

      @Override
      public void failed(Exception e) {}
    }));
    batcher.submit(new ActBatcher.Call(policy, input, System.nanoTime(), new ActBatcher.Reply() {
      @Override
      public void decided(OnnxPolicy.Decision d) {
        answered.add("same batch");
      }

      @Override
      public void failed(Exception e) {}
    }));
    release.countDown();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> answered.size() == 1);
    assertEquals(4, PolicyGrpc.newBlockingStub(channel).act(request(new SplittableRandom(8), false))
        .getProbsCount(), "the worker still answers");
  }

  /** Submits a call whose answer blocks the only worker until the latch returned is released. */
  private CountDownLatch holdTheWorker() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    ActBatcher.Reply blocking = new ActBatcher.Reply() {
      @Override
      public void decided(OnnxPolicy.Decision d) {
        running.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }

      @Override
      public void failed(Exception e) {}
    };
    batcher.submit(new ActBatcher.Call(models.forGame("breakout").orElseThrow(),
        new OnnxPolicy.Input(new byte[84 * 84], null, null, true), System.nanoTime(), blocking));
    running.await();
    return release;
  }

  /** An ActStream half-closed while its decision waits in the batcher stays open until it is answered. */
  @Test
  void aStreamHalfClosedWhileItsDecisionWaitsIsAnsweredThenCompleted() throws Exception {
    CountDownLatch release = holdTheWorker();
    List<ma3c.policy.v1.ActStreamResponse> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch ended = new CountDownLatch(1);
    io.grpc.stub.StreamObserver<ActRequest> stream = PolicyGrpc.newStub(channel).actStream(
        new io.grpc.stub.StreamObserver<>() {
          @Override
          public void onNext(ma3c.policy.v1.ActStreamResponse answer) {
            answers.add(answer);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            ended.countDown();
          }
        });
    stream.onNext(request(new SplittableRandom(9), true));
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> metrics.get("policy.act.queued").gauge().value() == 1);
    stream.onCompleted();
    // Completing at the half-close would end the stream unanswered: it must stay open meanwhile.
    Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(30))
        .until(() -> ended.getCount() == 1 && answers.isEmpty());
    release.countDown();
    assertTrue(ended.await(10, java.util.concurrent.TimeUnit.SECONDS), "completed after its answer");
    assertEquals(1, answers.size());
    assertTrue(answers.get(0).hasDecision(), answers.get(0).toString());
  }

  @Test
  void aBadCallFailsAloneAndAFullQueueIsResourceExhausted() throws Exception {
    SplittableRandom r = new SplittableRandom(6);
    PolicyGrpc.PolicyBlockingStub stub = PolicyGrpc.newBlockingStub(channel);
    ActRequest bad = request(r, false).toBuilder().addH(1f).addC(1f).build();
    assertEquals(Status.Code.INVALID_ARGUMENT,
        assertThrows(StatusRuntimeException.class, () -> stub.act(bad)).getStatus().getCode());
    assertEquals(4, stub.act(request(r, true)).getProbsCount(), "the next call is answered");

    // The worker held busy and the queue filled: the next call is refused, not queued.
    CountDownLatch release = holdTheWorker();
    OnnxPolicy.Input input = new OnnxPolicy.Input(new byte[84 * 84], null, null, true);
    for (int i = 0; i < QUEUE; i++) {
      batcher.submit(new ActBatcher.Call(models.forGame("breakout").orElseThrow(), input,
          System.nanoTime(), new ActBatcher.Reply() {
            @Override
            public void decided(OnnxPolicy.Decision d) {}

            @Override
            public void failed(Exception e) {}
          }));
    }
    StatusRuntimeException full = assertThrows(StatusRuntimeException.class, () -> stub.act(request(r, false)));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, full.getStatus().getCode());
    assertTrue(full.getStatus().getDescription().contains("overloaded"), full.getStatus().getDescription());
    release.countDown();
  }

  private static float[] toArray(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
