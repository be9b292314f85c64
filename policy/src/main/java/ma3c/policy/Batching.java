package ma3c.policy;

import java.time.Duration;

/**
 * How the policy server batches concurrent Act calls (see ActBatcher). {@code maxBatch} 1 turns
 * batching off: each call then runs alone on its gRPC thread, as before batching existed.
 *
 * @param maxBatch the most calls one run of a model answers
 * @param maxWait the longest the oldest call waits for others to join its batch
 * @param workers threads running batches
 */
public record Batching(int maxBatch, Duration maxWait, int workers) {
  public static final int DEFAULT_MAX_BATCH = 32;
  public static final String DEFAULT_MAX_WAIT = "PT0.001S";
  /** Calls that may wait at once per worker before new ones are refused (RESOURCE_EXHAUSTED). */
  static final int QUEUE_PER_WORKER = 1024;

  /** One worker per core: each runs ONNX Runtime on one thread. */
  public static int defaultWorkers() {
    return Runtime.getRuntime().availableProcessors();
  }

  public static Batching defaults() {
    return new Batching(DEFAULT_MAX_BATCH, Duration.parse(DEFAULT_MAX_WAIT), defaultWorkers());
  }

  /** Every call alone on its own gRPC thread. */
  public static Batching off() {
    return new Batching(1, Duration.ZERO, 0);
  }

  public boolean enabled() {
    return maxBatch > 1;
  }
}
