package ma3c.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition about containers (their logs, their state) until it holds. */
final class Await {
  private Await() {}

  static void until(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(250);
    }
  }
}
