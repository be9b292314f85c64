package ma3c.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import ma3c.grpc.server.security.ServerSecurity;
import ma3c.model.Architecture;
import ma3c.model.onnx.TestModels;
import ma3c.policy.v1.ActRequest;
import ma3c.policy.v1.ActResponse;
import ma3c.policy.v1.ActStreamResponse;
import ma3c.policy.v1.PolicyGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ActStream, batched and unbatched: answers in order, in-band errors, a half-close waits. */
class ActStreamTest {
  @TempDir Path models;
  private PolicyServer server;
  private ManagedChannel channel;

  private void start(boolean batched) throws Exception {
    TestModels.write(models, "pong", false, Architecture.A3C, 1);
    TestModels.write(models, "breakout", true, Architecture.MA3C_1, 2);
    String name = InProcessServerBuilder.generateName();
    server = new PolicyServer(InProcessServerBuilder.forName(name), models, Duration.ofMillis(100),
        batched ? Batching.defaults() : Batching.off()).start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  /** Over TCP: what only a real transport shows (a stream reset, not a status, once headers went). */
  private void startTcp(boolean batched) throws Exception {
    TestModels.write(models, "pong", false, Architecture.A3C, 1);
    server = PolicyServer.tcp(InetAddress.getLoopbackAddress(), 0, models,
        Duration.ofMillis(100), ServerSecurity.Settings.none(),
        batched ? Batching.defaults() : Batching.off()).start();
    channel = NettyChannelBuilder
        .forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  /** Sends and receives raw bytes: requests no client library would send. */
  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.stop(Duration.ofSeconds(5));
  }

  private static ByteString observation(int frames, int seed) {
    byte[] obs = new byte[frames * 84 * 84];
    for (int i = 0; i < obs.length; i++) {
      obs[i] = (byte) (i * 31 + seed * 7);
    }
    return ByteString.copyFrom(obs);
  }

  /** Every answer of one stream, and how it ended (null: completed). */
  private static final class Answers implements StreamObserver<ActStreamResponse> {
    final List<ActStreamResponse> received = new ArrayList<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    final CountDownLatch ended = new CountDownLatch(1);

    @Override
    public synchronized void onNext(ActStreamResponse answer) {
      received.add(answer);
    }

    @Override
    public void onError(Throwable t) {
      error.set(t);
      ended.countDown();
    }

    @Override
    public void onCompleted() {
      ended.countDown();
    }

    List<ActStreamResponse> awaitEnd() throws InterruptedException {
      assertTrue(ended.await(20, TimeUnit.SECONDS), "the stream ended");
      assertNull(error.get(), "the stream completed");
      return received;
    }
  }

  @ParameterizedTest(name = "batched: {0}")
  @ValueSource(booleans = {true, false})
  void pipelinedRequestsAreAnsweredInOrderAsActAnswersThemWithErrorsInBand(boolean batched)
      throws Exception {
    start(batched);
    List<ActRequest> requests = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      requests.add(i % 2 == 0
          ? ActRequest.newBuilder().setGame("pong").setObservation(observation(4, i)).setGreedy(true).build()
          : ActRequest.newBuilder().setGame("breakout").setObservation(observation(1, i)).setGreedy(true).build());
    }
    ActRequest tooShort = ActRequest.newBuilder().setGame("pong").setObservation(observation(1, 0)).build();
    ActRequest unknown = ActRequest.newBuilder().setGame("tetris").setObservation(observation(4, 0)).build();
    requests.add(3, tooShort);
    requests.add(8, unknown);

    Answers answers = new Answers();
    StreamObserver<ActRequest> stream = PolicyGrpc.newStub(channel).actStream(answers);
    requests.forEach(stream::onNext); // all of them before reading any answer
    stream.onCompleted();
    List<ActStreamResponse> received = answers.awaitEnd();

    assertEquals(requests.size(), received.size(), "one answer per request");
    PolicyGrpc.PolicyBlockingStub unary = PolicyGrpc.newBlockingStub(channel);
    for (int i = 0; i < requests.size(); i++) {
      ActStreamResponse answer = received.get(i);
      if (requests.get(i) == tooShort) {
        assertEquals(Status.Code.INVALID_ARGUMENT.value(), answer.getError().getCode());
        assertTrue(answer.getError().getMessage().contains("28224"), answer.getError().getMessage());
      } else if (requests.get(i) == unknown) {
        assertEquals(Status.Code.NOT_FOUND.value(), answer.getError().getCode());
      } else {
        ActResponse alone = unary.act(requests.get(i));
        assertEquals(alone.getProbsList(), answer.getDecision().getProbsList(), "answer " + i + " is its request's");
        assertEquals(alone.getAction(), answer.getDecision().getAction());
      }
    }
    assertEquals(1, server.metrics().counter("policy.errors.inband", "code", "NOT_FOUND").count());
    assertEquals(1, server.metrics().counter("policy.errors.inband", "code", "INVALID_ARGUMENT").count());
  }

  @ParameterizedTest(name = "batched: {0}")
  @ValueSource(booleans = {true, false})
  void aStreamCarriesAnEpisodesRecurrentState(boolean batched) throws Exception {
    start(batched);
    Answers answers = new Answers();
    StreamObserver<ActRequest> stream = PolicyGrpc.newStub(channel).actStream(answers);
    stream.onNext(ActRequest.newBuilder().setGame("breakout").setObservation(observation(1, 1)).build());
    stream.onCompleted();
    ActResponse first = answers.awaitEnd().get(0).getDecision();
    assertEquals(256, first.getHCount());

    ActResponse second = PolicyGrpc.newBlockingStub(channel).act(ActRequest.newBuilder()
        .setGame("breakout").setObservation(observation(1, 2)).setGreedy(true)
        .addAllH(first.getHList()).addAllC(first.getCList()).build());
    Answers more = new Answers();
    stream = PolicyGrpc.newStub(channel).actStream(more);
    stream.onNext(ActRequest.newBuilder().setGame("breakout").setObservation(observation(1, 2))
        .setGreedy(true).addAllH(first.getHList()).addAllC(first.getCList()).build());
    stream.onCompleted();
    assertEquals(second.getHList(), more.awaitEnd().get(0).getDecision().getHList(),
        "the state sent on a stream is the one used");
  }

  @ParameterizedTest(name = "batched: {0}")
  @ValueSource(booleans = {true, false})
  void aStoppingServerEndsOpenStreamsWithUnavailable(boolean batched) throws Exception {
    startTcp(batched);
    Answers answers = new Answers();
    StreamObserver<ActRequest> stream = PolicyGrpc.newStub(channel).actStream(answers);
    stream.onNext(ActRequest.newBuilder().setGame("pong").setObservation(observation(4, 1)).build());
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      synchronized (answers) {
        return answers.received.size() == 1;
      }
    });
    server.stop(Duration.ofMillis(200)); // the client keeps its stream open past the grace period
    assertTrue(answers.ended.await(10, TimeUnit.SECONDS));
    assertEquals(Status.Code.UNAVAILABLE, Status.fromThrowable(answers.error.get()).getCode());
  }

  @Test
  void bytesThatAreNotARequestAreAnsweredInBandAndTheStreamGoesOn() throws Exception {
    start(false);
    MethodDescriptor<byte[], byte[]> raw = PolicyGrpc.getActStreamMethod().toBuilder(BYTES, BYTES).build();
    List<byte[]> answers = new ArrayList<>();
    CountDownLatch ended = new CountDownLatch(1);
    StreamObserver<byte[]> stream = ClientCalls.asyncBidiStreamingCall(
        channel.newCall(raw, CallOptions.DEFAULT), new StreamObserver<>() {
          @Override
          public void onNext(byte[] answer) {
            answers.add(answer);
          }

          @Override
          public void onError(Throwable t) {
            ended.countDown();
          }

          @Override
          public void onCompleted() {
            ended.countDown();
          }
        });
    stream.onNext(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
    stream.onNext(ActRequest.newBuilder().setGame("pong").setObservation(observation(4, 1)).build()
        .toByteArray());
    stream.onCompleted();
    assertTrue(ended.await(20, TimeUnit.SECONDS));
    assertEquals(2, answers.size());
    ActStreamResponse bad = ActStreamResponse.parseFrom(answers.get(0));
    assertEquals(Status.Code.INVALID_ARGUMENT.value(), bad.getError().getCode());
    assertTrue(bad.getError().getMessage().startsWith("malformed request"), bad.toString());
    assertTrue(ActStreamResponse.parseFrom(answers.get(1)).hasDecision(), "the stream goes on");
    MethodDescriptor<byte[], byte[]> rawAct = PolicyGrpc.getActMethod().toBuilder(BYTES, BYTES).build();
    StatusRuntimeException e = assertThrows(
        StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
            channel, rawAct, CallOptions.DEFAULT, new byte[] {(byte) 0xFF, 1}));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getMessage());
  }

  /** A client that stops reading answers stops the server reading its requests (flow control). */
  @ParameterizedTest(name = "batched: {0}")
  @ValueSource(booleans = {true, false})
  void aClientThatStopsReadingIsNotAnsweredAhead(boolean batched) throws Exception {
    start(batched);
    List<ActStreamResponse> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicReference<io.grpc.stub.ClientCallStreamObserver<ActRequest>> call = new AtomicReference<>();
    CountDownLatch ended = new CountDownLatch(1);
    StreamObserver<ActRequest> stream = PolicyGrpc.newStub(channel).actStream(
        new io.grpc.stub.ClientResponseObserver<ActRequest, ActStreamResponse>() {
          @Override
          public void beforeStart(io.grpc.stub.ClientCallStreamObserver<ActRequest> requests) {
            call.set(requests);
            requests.disableAutoRequestWithInitial(1); // reads one answer, then nothing
          }

          @Override
          public void onNext(ActStreamResponse answer) {
            received.add(answer);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            ended.countDown();
          }
        });
    for (int i = 0; i < 5; i++) {
      stream.onNext(ActRequest.newBuilder().setGame("pong").setObservation(observation(4, i)).build());
    }
    var decisions = server.metrics().timer("policy.act");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(30))
        .until(() -> decisions.count() == 1);
    call.get().request(10);
    stream.onCompleted();
    assertTrue(ended.await(10, TimeUnit.SECONDS));
    assertEquals(5, received.size(), "the rest answered once the client reads again");
  }
}
