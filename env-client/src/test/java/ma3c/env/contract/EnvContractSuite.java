package ma3c.env.contract;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.BlockingClientCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import ma3c.env.client.EnvSession;
import ma3c.env.client.Observations;
import ma3c.env.v1.ActionSet;
import ma3c.env.v1.Compression;
import ma3c.env.v1.DataType;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EnvironmentGrpc;
import ma3c.env.v1.EpisodeState;
import ma3c.env.v1.GameInfo;
import ma3c.env.v1.ListGamesRequest;
import ma3c.env.v1.OpenRequest;
import ma3c.env.v1.Request;
import ma3c.env.v1.ResetRequest;
import ma3c.env.v1.Response;
import ma3c.env.v1.StepResponse;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The env contract (proto/ma3c/env/v1/env.proto) as a client sees it, written once and run
 * against every endpoint: the in-process server, a TCP server, the container image (as
 * dm_env_rpc's compliance tests are). To check another implementation of the contract, extend
 * this class (it ships in the env-client test-jar) with a channel to it and the limits it was
 * started with; it needs the built-in {@code catch} game and Pong's ROM.
 */
@Timeout(120)
public abstract class EnvContractSuite {
  private static final EnvConfig SEEDED = EnvConfig.newBuilder().setSeed(11).build();
  private static final byte[] GARBAGE = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};
  /** How long the server may take to release the sessions an earlier test closed. */
  private static final Duration RELEASE = Duration.ofSeconds(10);

  /**
   * What the endpoint under test was started with.
   *
   * @param maxSessions its session limit (this suite opens at most that many at once)
   * @param idleTimeout after which it ends a silent session; short, the suite waits it out once
   * @param maxMessageBytes its largest accepted request, or 0 where the transport has no limit
   *     (gRPC's in-process transport passes messages by reference)
   */
  public record Limits(int maxSessions, Duration idleTimeout, int maxMessageBytes) {}

  /** A channel to the endpoint; the subclass owns and closes it. */
  protected abstract Channel channel();

  protected abstract Limits limits();

  /** Opens a session, waiting while the server still releases sessions of an earlier test. */
  protected final EnvSession open(String game, EnvConfig config)
      throws EnvException, InterruptedException {
    long deadline = System.nanoTime() + RELEASE.toNanos();
    while (true) {
      try {
        return EnvSession.open(channel(), game, config);
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  private BlockingClientCall<Request, Response> session() {
    return EnvironmentGrpc.newBlockingV2Stub(channel()).session();
  }

  private static Request openRequest(String game) {
    return Request.newBuilder().setOpen(OpenRequest.newBuilder().setGame(game).setConfig(SEEDED))
        .build();
  }

  private static Request resetRequest() {
    return Request.newBuilder().setReset(ResetRequest.getDefaultInstance()).build();
  }

  // ---- discovery

  @Test
  public void listGamesNamesCatchAndPongWithTheirActions() {
    List<GameInfo> games = EnvironmentGrpc.newBlockingStub(channel())
        .listGames(ListGamesRequest.getDefaultInstance()).getGamesList();
    GameInfo pong = games.stream().filter(g -> g.getName().equals("pong")).findFirst().orElseThrow();
    assertEquals(List.of("NOOP", "FIRE", "RIGHT", "LEFT", "RIGHTFIRE", "LEFTFIRE"),
        pong.getMinimalActionMeaningsList());
    assertTrue(games.stream().anyMatch(g -> g.getName().equals("catch")), "catch is built in");
    for (GameInfo game : games) {
      assertEquals(18, game.getFullActionCount(), game.getName() + ": the contract says always 18");
    }
  }

  @Test
  public void theSpecDescribesObservationsAndActions() throws Exception {
    try (EnvSession session = open("pong", SEEDED)) {
      assertEquals(List.of(84, 84), session.spec().getObservation().getShapeList());
      assertEquals(DataType.UINT8, session.spec().getObservation().getDataType());
      assertEquals(6, session.spec().getActionMeaningsCount());
      assertEquals(84 * 84, session.reset(OptionalLong.empty()).getObservation().getData().size());
    }
    try (EnvSession full = open("catch", SEEDED.toBuilder().setActionSet(ActionSet.FULL).build())) {
      assertEquals(18, full.spec().getActionCount());
    }
  }

  // ---- episodes

  @Test
  public void playsAPongGameToItsEnd() throws Exception {
    try (EnvSession session = open("pong", SEEDED)) {
      session.reset(OptionalLong.empty());
      Random random = new Random(3);
      double rewards = 0;
      StepResponse step;
      int steps = 0;
      do {
        step = session.step(random.nextInt(6));
        rewards += step.getReward();
        steps++;
      } while (step.getState() == EpisodeState.RUNNING);
      assertEquals(EpisodeState.TERMINATED, step.getState(),
          "a random Pong game ends by the rules, not the frame cap");
      assertTrue(step.getInfo().getGameOver());
      assertEquals(rewards, step.getInfo().getEpisodeReturn(), 1e-9);
      assertEquals(steps, step.getInfo().getEpisodeLength());
      assertTrue(rewards <= -15, "random play loses Pong: " + rewards);
    }
  }

  @Test
  @SuppressWarnings("deprecation")
  public void theDeprecatedFieldsStillSayWhatTheirReplacementsSay() throws Exception {
    try (EnvSession session = open("pong", SEEDED.toBuilder().setMaxEpisodeFrames(40).build())) {
      assertEquals("uint8", session.spec().getObservation().getDtype());
      session.reset(OptionalLong.empty());
      StepResponse step;
      do {
        step = session.step(0);
        assertTrue(step.getState() != EpisodeState.EPISODE_STATE_UNSPECIFIED, step.toString());
        assertEquals(step.getState() == EpisodeState.TERMINATED, step.getTerminated());
        assertEquals(step.getState() == EpisodeState.TRUNCATED, step.getTruncated());
      } while (step.getState() == EpisodeState.RUNNING);
      assertEquals(EpisodeState.TRUNCATED, step.getState(), "the 40-frame cap, not Pong, ended it");
      assertTrue(step.getInfo().getGameOver(), "a capped game is over");
    }
  }

  @Test
  public void aSeedReplaysTheSameObservationsByteForByte() throws Exception {
    List<byte[]> first = play(5);
    List<byte[]> second = play(5);
    for (int i = 0; i < first.size(); i++) {
      assertArrayEquals(first.get(i), second.get(i), "observation " + i);
    }
    List<byte[]> other = play(6);
    assertFalse(Arrays.equals(first.get(first.size() - 1), other.get(other.size() - 1))
        && Arrays.equals(first.get(first.size() / 2), other.get(other.size() / 2)),
        "another seed (other no-op starts) plays another game");
  }

  private List<byte[]> play(long seed) throws Exception {
    List<byte[]> frames = new ArrayList<>();
    try (EnvSession session = open("pong", EnvConfig.getDefaultInstance())) {
      frames.add(session.reset(OptionalLong.of(seed)).getObservation().getData().toByteArray());
      for (int i = 1; i < 120; i++) {
        frames.add(session.step(i % 6).getObservation().getData().toByteArray());
      }
    }
    return frames;
  }

  @Test
  public void zlibObservationsInflateToTheUncompressedBytes() throws Exception {
    try (EnvSession raw = open("pong", SEEDED);
        EnvSession zipped = open("pong", SEEDED.toBuilder().setCompression(Compression.ZLIB).build())) {
      raw.reset(OptionalLong.empty());
      zipped.reset(OptionalLong.empty());
      for (int i = 0; i < 50; i++) {
        StepResponse a = raw.step(i % 6);
        StepResponse b = zipped.step(i % 6);
        assertEquals(Compression.ZLIB, b.getObservation().getCompression());
        assertTrue(b.getObservation().getData().size() < a.getObservation().getData().size() / 4,
            "a flat Atari frame compresses well");
        assertEquals(a.getObservation().getData(),
            ByteString.copyFrom(Observations.pixels(b.getObservation(), 84 * 84)));
      }
    }
  }

  // ---- errors when opening: the stream ends with the status

  @Test
  public void unknownGameIsNotFound() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> open("no_such_game", SEEDED));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("no_such_game"), e.getMessage());
  }

  @Test
  public void malformedGameNameIsNotFound() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> open("../pong", SEEDED));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), "no path tricks into other folders");
  }

  @Test
  public void aLongGameNameIsEchoedCutShort() {
    String name = "x".repeat(limits().maxMessageBytes() == 0 ? 100_000 : limits().maxMessageBytes() / 2);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> open(name, SEEDED));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    String description = e.getStatus().getDescription();
    assertTrue(description.contains("'" + "x".repeat(64) + "...'"), description);
    assertTrue(description.length() < 250, "length " + description.length());
  }

  @Test
  public void badConfigIsInvalidArgument() {
    for (EnvConfig bad : new EnvConfig[] {
        EnvConfig.newBuilder().setFrameSkip(0).build(),
        EnvConfig.newBuilder().setRepeatActionProbability(1.5f).build(),
        EnvConfig.newBuilder().setNoopMax(-1).build(),
        EnvConfig.newBuilder().setMaxEpisodeFrames(-5).build(),
        EnvConfig.newBuilder().setObservationFormatValue(99).build()}) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> open("pong", bad), bad.toString());
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), bad.toString());
    }
  }

  @Test
  public void requestBeforeOpenEndsTheStreamWithFailedPrecondition() {
    BlockingClientCall<Request, Response> call = session();
    StatusException e = assertThrows(StatusException.class, () -> {
      call.write(resetRequest());
      call.read();
    });
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
  }

  @Test
  public void sessionLimitIsResourceExhaustedAndAClosedSessionFreesItsSlot() throws Exception {
    List<EnvSession> sessions = new ArrayList<>();
    try {
      for (int i = 0; i < limits().maxSessions(); i++) {
        sessions.add(open("catch", SEEDED));
      }
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> EnvSession.open(channel(), "catch", SEEDED));
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
      sessions.remove(0).close();
      sessions.add(open("catch", SEEDED));
    } finally {
      for (EnvSession s : sessions) {
        s.close();
      }
    }
  }

  @Test
  public void anOversizedMessageIsResourceExhaustedAndTheServerGoesOn() throws Exception {
    int limit = limits().maxMessageBytes();
    BlockingClientCall<Request, Response> call = session();
    if (limit == 0) {
      // No transport limit: the name arrives whole and is refused as a name, cut short.
      call.write(openRequest("x".repeat(1 << 20)));
      StatusException e = assertThrows(StatusException.class, call::read);
      assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    } else {
      StatusException e = assertThrows(StatusException.class, () -> {
        call.write(openRequest("x".repeat(limit + 1)));
        call.read();
      });
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
    }
    open("pong", SEEDED).close();
  }

  /**
   * Later in a session, a request over the limit is one bad request: answered in-band with
   * RESOURCE_EXHAUSTED, the session goes on (not the bare CANCELLED of a reset, grpc-java#11245).
   */
  @Test
  public void anOversizedRequestInASessionIsAnsweredInBandAndTheSessionGoesOn() throws Exception {
    int limit = limits().maxMessageBytes();
    Assumptions.assumeTrue(limit > 0, "the transport has no limit");
    BlockingClientCall<Request, Response> call = session();
    call.write(openRequest("catch"));
    assertTrue(call.read().hasOpen());
    call.write(openRequest("x".repeat(limit + 1)));
    Response refused = call.read();
    assertEquals(Status.Code.RESOURCE_EXHAUSTED.value(), refused.getError().getCode(),
        refused.toString());
    assertTrue(refused.getError().getMessage().contains(String.valueOf(limit)), refused.toString());
    call.write(resetRequest());
    assertTrue(call.read().hasReset(), "the session goes on");
    call.halfClose();
  }

  @Test
  public void malformedBytesAreInvalidArgumentAndTheServerGoesOn() throws Exception {
    BlockingClientCall<byte[], byte[]> call = RawSession.open(channel());
    call.write(GARBAGE);
    StatusException e = assertThrows(StatusException.class, call::read);
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
    assertTrue(e.getStatus().getDescription().contains("malformed request"), e.getStatus().toString());
    open("pong", SEEDED).close();
  }

  // ---- errors inside an open session: in-band, and the session goes on

  @Test
  public void stepBeforeResetIsFailedPrecondition() throws Exception {
    try (EnvSession session = open("pong", SEEDED)) {
      EnvException e = assertThrows(EnvException.class, () -> session.step(0));
      assertEquals(Status.Code.FAILED_PRECONDITION, e.code());
      session.reset(OptionalLong.empty());
      session.step(0);
    }
  }

  @Test
  public void actionOutOfRangeIsInvalidArgumentAndTheSessionGoesOn() throws Exception {
    try (EnvSession session = open("pong", SEEDED)) {
      session.reset(OptionalLong.empty());
      for (int bad : new int[] {-1, 6, 18}) {
        EnvException e = assertThrows(EnvException.class, () -> session.step(bad));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("out of range [0, 6)"), e.getMessage());
      }
      assertEquals(EpisodeState.RUNNING, session.step(5).getState(), "the session goes on");
    }
  }

  @Test
  public void stepAfterEpisodeEndIsFailedPrecondition() throws Exception {
    try (EnvSession session = open("pong", SEEDED.toBuilder().setMaxEpisodeFrames(40).build())) {
      session.reset(OptionalLong.empty());
      boolean ended = false;
      for (int i = 0; i < 20 && !ended; i++) {
        ended = session.step(0).getState() == EpisodeState.TRUNCATED;
      }
      assertTrue(ended, "a 40-frame cap ends the episode within 10 steps");
      EnvException e = assertThrows(EnvException.class, () -> session.step(0));
      assertEquals(Status.Code.FAILED_PRECONDITION, e.code());
      session.reset(OptionalLong.empty());
      session.step(0);
    }
  }

  @Test
  public void aSecondOpenIsAnInBandErrorAndTheFirstEnvironmentGoesOn() throws Exception {
    BlockingClientCall<Request, Response> call = session();
    call.write(openRequest("catch"));
    assertTrue(call.read().hasOpen());
    call.write(openRequest("pong"));
    Response second = call.read();
    assertEquals(Status.Code.FAILED_PRECONDITION.value(), second.getError().getCode(), second.toString());
    assertFalse(second.getError().getMessage().isEmpty(), "the error says why");
    call.write(resetRequest());
    assertEquals(84 * 84, call.read().getReset().getObservation().getData().size(), "still catch");
    call.halfClose();
  }

  @Test
  public void malformedBytesInAnOpenSessionAreAnInBandErrorAndTheSessionGoesOn() throws Exception {
    BlockingClientCall<byte[], byte[]> call = RawSession.open(channel());
    call.write(openRequest("pong").toByteArray());
    assertTrue(Response.parseFrom(call.read()).hasOpen());
    call.write(GARBAGE);
    Response error = Response.parseFrom(call.read());
    assertEquals(Status.Code.INVALID_ARGUMENT.value(), error.getError().getCode());
    call.write(resetRequest().toByteArray());
    assertTrue(Response.parseFrom(call.read()).hasReset(), "the session goes on");
    call.halfClose();
  }

  // ---- the server's own limits

  @Test
  public void aSilentSessionIsEndedWithDeadlineExceeded() throws Exception {
    Duration idle = limits().idleTimeout();
    BlockingClientCall<Request, Response> call = session();
    call.write(openRequest("catch"));
    assertTrue(call.read().hasOpen());
    // The next thing the server sends is the end of the stream, once the session was idle.
    StatusException e = assertTimeoutPreemptively(idle.multipliedBy(3).plusSeconds(10),
        () -> assertThrows(StatusException.class, call::read));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
    await().atMost(RELEASE).untilAsserted(() -> open("catch", SEEDED).close());
  }
}
