package ma3c.grpc.server;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * Lets one event per period through to the log and counts the ones it holds back, so that a client
 * sending bad input in a loop costs one log line a period instead of one per call.
 */
final class LogThrottle {
  private final long periodNanos;
  private boolean started;
  private long nextNanos;
  private long held;

  LogThrottle(Duration period) {
    this.periodNanos = period.toNanos();
  }

  /** Empty while the period runs; else how many events were held back since the last one let through. */
  synchronized OptionalLong admit() {
    long now = System.nanoTime();
    if (started && now - nextNanos < 0) {
      held++;
      return OptionalLong.empty();
    }
    started = true;
    nextNanos = now + periodNanos;
    long skipped = held;
    held = 0;
    return OptionalLong.of(skipped);
  }
}
