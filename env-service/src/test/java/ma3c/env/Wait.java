package ma3c.env;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition, for tests of what a server does in the background. */
public final class Wait {
  private Wait() {}

  public static void until(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 60 s");
      }
      Thread.sleep(10);
    }
  }
}
