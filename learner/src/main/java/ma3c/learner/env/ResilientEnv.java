package ma3c.learner.env;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BooleanSupplier;
import ma3c.env.client.EnvSession;
import ma3c.env.client.Observations;
import ma3c.env.contract.EnvException;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EnvSpec;
import ma3c.env.v1.Observation;
import ma3c.env.v1.ResetResponse;
import ma3c.env.v1.StepResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An actor thread's one env session that outlives env service restarts: when the stream fails
 * with a transient status it re-opens the game (exponential backoff with jitter, a fresh seed each
 * time) and tells the caller the episode was lost. It gives up at once when the run is stopping,
 * and with a diagnosis when retrying cannot help (unknown game, bad config, an endpoint that is
 * not an env service).
 */
public final class ResilientEnv implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResilientEnv.class);
  /** Codes of a service that is down, restarting, overloaded or that dropped the stream. */
  private static final Set<Status.Code> TRANSIENT = EnumSet.of(Status.Code.UNAVAILABLE,
      Status.Code.CANCELLED, Status.Code.ABORTED, Status.Code.RESOURCE_EXHAUSTED);
  /**
   * Codes a crashing env service can produce once, but that a peer which is not a gRPC server
   * (wrong port, TLS on the other side) produces on every attempt: retried a few times only. So
   * is DEADLINE_EXCEEDED: mid-session it is the service's idle timeout (reconnect), but on Open
   * it is a peer that takes the stream and never answers, every time.
   */
  private static final Set<Status.Code> PROTOCOL = EnumSet.of(Status.Code.INTERNAL,
      Status.Code.UNKNOWN, Status.Code.DEADLINE_EXCEEDED);
  private static final int PROTOCOL_RETRIES = 2;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final long SEED_STRIDE = 1_000_003L;

  /** Thrown when the run stops while the env service is unreachable. */
  public static final class Stopped extends RuntimeException {
    Stopped(String name) {
      super(name + ": stopped while reconnecting", null, false, false);
    }
  }

  private final Channel channel;
  private final String game;
  private final EnvConfig config;
  private final String name;
  private final BooleanSupplier stopping;
  private final Duration openDeadline;
  private final FailsafeExecutor<EnvSession> retries;
  private EnvSession session;
  private int frameSize;
  private int opens;

  public ResilientEnv(Channel channel, String game, EnvConfig config, String name,
      BooleanSupplier stopping) {
    this(channel, game, config, name, stopping, EnvSession.OPEN_DEADLINE);
  }

  /** With another deadline for each Open than the usual (tests). */
  ResilientEnv(Channel channel, String game, EnvConfig config, String name,
      BooleanSupplier stopping, Duration openDeadline) {
    this.channel = channel;
    this.game = game;
    this.config = config;
    this.name = name;
    this.stopping = stopping;
    this.openDeadline = openDeadline;
    RetryPolicy<EnvSession> transientFailures = RetryPolicy.<EnvSession>builder()
        .handleIf(e -> hasCode(e, TRANSIENT))
        .withBackoff(FIRST_BACKOFF, MAX_BACKOFF)
        .withJitter(0.25)
        .withMaxRetries(-1)
        .onRetry(e -> log.info("{}: env not reachable ({}); retrying", name,
            brief(((StatusRuntimeException) e.getLastException()).getStatus())))
        .build();
    RetryPolicy<EnvSession> protocolFailures = RetryPolicy.<EnvSession>builder()
        .handleIf(e -> hasCode(e, PROTOCOL))
        .withBackoff(FIRST_BACKOFF, MAX_BACKOFF)
        .withMaxRetries(PROTOCOL_RETRIES)
        .onRetry(e -> log.warn("{}: env did not answer as an env service ({}); trying again", name,
            brief(((StatusRuntimeException) e.getLastException()).getStatus())))
        .build();
    this.retries = Failsafe.with(protocolFailures).compose(transientFailures);
    connect();
  }

  public EnvSpec spec() {
    return session.spec();
  }

  /** Times the session was re-opened after a failure. */
  public int reconnects() {
    return opens - 1;
  }

  /** Resets, reconnecting first as often as needed. Returns the first frame. */
  public ResetResponse reset() {
    while (true) {
      try {
        return session.reset(OptionalLong.empty());
      } catch (StatusRuntimeException e) {
        recover(e);
      } catch (EnvException e) {
        throw new IllegalStateException(name + ": env refused reset: " + e.getMessage(), e);
      }
    }
  }

  /** One step; throws EpisodeInterrupted (after reconnecting) when the session was lost. */
  public StepResponse step(int action) throws EpisodeInterrupted {
    try {
      return session.step(action);
    } catch (StatusRuntimeException e) {
      recover(e);
      throw new EpisodeInterrupted(name + ": env session lost (" + e.getStatus().getCode()
          + "), re-opened");
    } catch (EnvException e) {
      throw new IllegalStateException(name + ": env refused step " + action + ": " + e.getMessage(), e);
    }
  }

  public byte[] pixels(Observation observation) {
    return Observations.pixels(observation, frameSize);
  }

  private void recover(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    if (!TRANSIENT.contains(code) && !PROTOCOL.contains(code)) {
      throw new IllegalStateException(diagnose(e), e);
    }
    log.warn("{}: env session failed ({}), reconnecting", name, brief(e.getStatus()));
    session.close();
    connect();
  }

  private void connect() {
    try {
      session = retries.get(() -> {
        if (stopping.getAsBoolean()) {
          throw new Stopped(name);
        }
        // A fresh seed per (re)connection: a replayed seed would replay the same episodes.
        return EnvSession.open(channel, game,
            config.toBuilder().setSeed(config.getSeed() + SEED_STRIDE * opens++).build(), openDeadline);
      });
    } catch (StatusRuntimeException e) {
      throw new IllegalStateException(diagnose(e), e);
    } catch (FailsafeException e) {
      if (e.getCause() instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new Stopped(name);
      }
      throw new IllegalStateException(name + ": env refused to open " + game + ": "
          + e.getCause().getMessage(), e.getCause());
    }
    int n = 1;
    for (int d : session.spec().getObservation().getShapeList()) {
      n *= d;
    }
    frameSize = n;
  }

  /** One line that says why retrying cannot help. */
  private String diagnose(StatusRuntimeException e) {
    String endpoint = channel.authority();
    String description = e.getStatus().getDescription();
    String detail = description == null ? "" : ": " + description;
    boolean embedded = EnvEndpoints.EMBEDDED.equals(endpoint);
    String service = embedded ? "the embedded env service" : "env service " + endpoint;
    return switch (e.getStatus().getCode()) {
      case UNIMPLEMENTED -> endpoint + " is a gRPC server but not an MA3C env service";
      case DEADLINE_EXCEEDED -> service + " takes sessions but does not answer them (" + brief(e.getStatus())
          + ", " + (PROTOCOL_RETRIES + 1) + " tries): not an MA3C env service, or a hung one";
      case INTERNAL, UNKNOWN -> endpoint + " does not answer as an MA3C env service (not a gRPC"
          + " server, or TLS where plaintext is expected? " + e.getStatus().getCode() + detail + ")";
      // The env service's description names the game and what is wrong with it.
      case NOT_FOUND -> (embedded ? "" : service + ": ")
          + (description == null ? "cannot open " + game : description);
      case UNAUTHENTICATED, PERMISSION_DENIED -> service + " refused the learner ("
          + e.getStatus().getCode() + detail + ")";
      default -> name + ": " + service + " failed (" + e.getStatus().getCode() + detail + ")";
    };
  }

  private static String brief(Status status) {
    return status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
  }

  private static boolean hasCode(Throwable e, Set<Status.Code> codes) {
    return e instanceof StatusRuntimeException s && codes.contains(s.getStatus().getCode());
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
  }
}
