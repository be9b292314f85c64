package ma3c.learner.env;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;
import ma3c.env.client.EnvSession;
import ma3c.env.client.Observations;
import ma3c.env.session.EnvException;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EnvSpec;
import ma3c.env.v1.Observation;
import ma3c.env.v1.ResetResponse;
import ma3c.env.v1.StepResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An actor thread's one env session that outlives env service restarts: when the stream fails
 * with a transient status it re-opens the game with exponential backoff and tells the caller the
 * episode was lost. Errors that retrying cannot fix (unknown game, bad config) propagate.
 */
public final class ResilientEnv implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResilientEnv.class);
  private static final Set<Status.Code> TRANSIENT = EnumSet.of(Status.Code.UNAVAILABLE,
      Status.Code.CANCELLED, Status.Code.DEADLINE_EXCEEDED, Status.Code.ABORTED,
      Status.Code.INTERNAL, Status.Code.UNKNOWN, Status.Code.RESOURCE_EXHAUSTED);
  private static final long MAX_BACKOFF_MS = 5_000;

  private final Channel channel;
  private final String game;
  private final EnvConfig config;
  private final String name;
  private EnvSession session;
  private int frameSize;
  private int reconnects;

  public ResilientEnv(Channel channel, String game, EnvConfig config, String name)
      throws InterruptedException {
    this.channel = channel;
    this.game = game;
    this.config = config;
    this.name = name;
    connect();
  }

  public EnvSpec spec() {
    return session.spec();
  }

  /** Times the session was re-opened after a failure. */
  public int reconnects() {
    return reconnects;
  }

  /** Resets, reconnecting first as often as needed. Returns the first frame. */
  public ResetResponse reset() throws InterruptedException {
    while (true) {
      try {
        return session.reset(OptionalLong.empty());
      } catch (StatusRuntimeException e) {
        recover(e);
      } catch (EnvException e) {
        throw new IllegalStateException("env refused reset: " + e.getMessage(), e);
      }
    }
  }

  /** One step; throws EpisodeInterrupted (after reconnecting) when the session was lost. */
  public StepResponse step(int action) throws EpisodeInterrupted, InterruptedException {
    try {
      return session.step(action);
    } catch (StatusRuntimeException e) {
      recover(e);
      throw new EpisodeInterrupted(name + ": env session lost (" + e.getStatus().getCode()
          + "), re-opened");
    } catch (EnvException e) {
      throw new IllegalStateException("env refused step " + action + ": " + e.getMessage(), e);
    }
  }

  public byte[] pixels(Observation observation) {
    return Observations.pixels(observation, frameSize);
  }

  private void recover(StatusRuntimeException e) throws InterruptedException {
    if (!TRANSIENT.contains(e.getStatus().getCode())) {
      throw e;
    }
    log.warn("{}: env session failed ({}), reconnecting", name, e.getStatus());
    session.close();
    reconnects++;
    connect();
  }

  private void connect() throws InterruptedException {
    long backoff = 100;
    while (true) {
      try {
        session = EnvSession.open(channel, game, config);
        int n = 1;
        for (int d : session.spec().getObservation().getShapeList()) {
          n *= d;
        }
        frameSize = n;
        return;
      } catch (StatusRuntimeException e) {
        if (!TRANSIENT.contains(e.getStatus().getCode())) {
          throw e;
        }
        log.info("{}: env not reachable ({}); retrying in {} ms", name, e.getStatus().getCode(), backoff);
      } catch (EnvException e) {
        throw new IllegalStateException(e);
      }
      Thread.sleep(backoff);
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
  }
}
