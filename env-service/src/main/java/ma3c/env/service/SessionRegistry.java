package ma3c.env.service;

import io.grpc.Status;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live session streams of one server: enforces the limits on open environments (in all, and
 * per client), ends sessions that sit idle too long, and ends them all when the server drains.
 */
public final class SessionRegistry implements AutoCloseable {
  /** maxSessionsPerClient value for no per-client limit. */
  public static final int NO_CLIENT_LIMIT = 0;

  private final int maxSessions;
  private final int maxSessionsPerClient;
  private final long idleTimeoutNanos;
  private final Set<SessionHandler> streams = ConcurrentHashMap.newKeySet();
  private final Set<SessionHandler> open = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService reaper;
  private volatile boolean draining;

  public SessionRegistry(int maxSessions, int maxSessionsPerClient, Duration idleTimeout) {
    this.maxSessions = maxSessions;
    this.maxSessionsPerClient = maxSessionsPerClient;
    this.idleTimeoutNanos = idleTimeout.toNanos();
    this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "env-session-reaper");
      t.setDaemon(true);
      return t;
    });
    long period = Math.max(10, Math.min(1000, idleTimeout.toMillis() / 4));
    reaper.scheduleWithFixedDelay(this::endIdleSessions, period, period, TimeUnit.MILLISECONDS);
  }

  void streamStarted(SessionHandler session) {
    streams.add(session);
  }

  void streamEnded(SessionHandler session) {
    streams.remove(session);
    open.remove(session);
  }

  /** Admits one more open environment, or says why not (RESOURCE_EXHAUSTED, UNAVAILABLE). */
  synchronized Status admit(SessionHandler session) {
    if (draining) {
      return Status.UNAVAILABLE.withDescription("the server is shutting down");
    }
    if (open.size() >= maxSessions) {
      return Status.RESOURCE_EXHAUSTED.withDescription(
          "session limit reached: " + maxSessions + " environments are open on this server");
    }
    // So that one client (say, a learner with too many threads) cannot take every slot.
    if (maxSessionsPerClient != NO_CLIENT_LIMIT && openBy(session.client()) >= maxSessionsPerClient) {
      return Status.RESOURCE_EXHAUSTED.withDescription("per-client session limit reached: client "
          + session.client() + " has " + maxSessionsPerClient + " environments open, the most this"
          + " server allows one client");
    }
    open.add(session);
    return Status.OK;
  }

  private long openBy(String client) {
    return open.stream().filter(s -> s.client().equals(client)).count();
  }

  /** Environments open now. */
  public int openSessions() {
    return open.size();
  }

  private void endIdleSessions() {
    long now = System.nanoTime();
    for (SessionHandler s : streams) {
      if (now - s.lastActiveNanos() > idleTimeoutNanos) {
        s.end(Status.DEADLINE_EXCEEDED.withDescription("session idle for longer than "
            + Duration.ofNanos(idleTimeoutNanos).toMillis() + " ms; closed by the server"));
      }
    }
  }

  /** Refuses new sessions and ends every open one with UNAVAILABLE, so clients can reconnect. */
  public void drain() {
    synchronized (this) {
      draining = true;
    }
    for (SessionHandler s : streams) {
      s.end(Status.UNAVAILABLE.withDescription("the server is shutting down"));
    }
  }

  @Override
  public void close() {
    reaper.shutdownNow();
  }
}
