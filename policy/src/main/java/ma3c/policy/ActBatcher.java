package ma3c.policy;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import ma3c.model.onnx.OnnxPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching of Act calls: calls wait in one queue; each worker takes the oldest, gathers
 * more until it holds {@code maxBatch} or the oldest has waited {@code maxWait}, and runs the
 * calls of each model as one batch. A batch of n costs far less than n single runs (the conv
 * layers become one larger matrix product), and the gRPC threads only parse and enqueue. With
 * several workers one gathers while another runs, so a busy server never idles a core waiting.
 */
final class ActBatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ActBatcher.class);

  /** A call waiting for its decision. */
  record Call(OnnxPolicy policy, OnnxPolicy.Input input, long arrivedNanos, Reply reply) {}

  /** Where a call's outcome goes (once, from a worker thread). */
  interface Reply {
    void decided(OnnxPolicy.Decision decision);

    void failed(Exception e);
  }

  /** Thrown by {@link #submit} when the queue is full: the server is past what it can answer. */
  static final class OverloadedException extends Exception {
    OverloadedException(int queued) {
      super("server overloaded: " + queued + " Act calls already waiting; retry later");
    }
  }

  private final int maxBatch;
  private final long maxWaitNanos;
  private final BlockingQueue<Call> queue;
  private final List<Thread> workers = new ArrayList<>();
  private final DistributionSummary batchSizes;
  /** Calls submitted and not answered yet: queued, being gathered, or running. */
  private final AtomicInteger outstanding = new AtomicInteger();

  /**
   * @param workers threads running batches (about one per core: each runs ONNX Runtime on one)
   * @param queueLimit calls that may wait at once; more are refused (see OverloadedException)
   */
  ActBatcher(int maxBatch, Duration maxWait, int workers, int queueLimit, MeterRegistry metrics) {
    this.maxBatch = maxBatch;
    this.maxWaitNanos = maxWait.toNanos();
    this.queue = new ArrayBlockingQueue<>(queueLimit);
    this.batchSizes = DistributionSummary.builder("policy.act.batch.size")
        .description("Act calls answered by one run of a model").register(metrics);
    Gauge.builder("policy.act.queued", queue, BlockingQueue::size)
        .description("Act calls waiting for a batch worker").register(metrics);
    for (int i = 0; i < workers; i++) {
      Thread t = new Thread(this::work, "act-batch-" + i);
      t.setDaemon(true);
      this.workers.add(t);
      t.start();
    }
  }

  void submit(Call call) throws OverloadedException {
    outstanding.incrementAndGet();
    if (!queue.offer(call)) {
      outstanding.decrementAndGet();
      throw new OverloadedException(queue.size());
    }
  }

  private void work() {
    SplittableRandom random = new SplittableRandom(System.nanoTime());
    List<Call> batch = new ArrayList<>(maxBatch);
    try {
      while (true) {
        batch.add(queue.take());
        gather(batch);
        run(batch, random);
        batch.clear();
      }
    } catch (InterruptedException e) {
      batch.forEach(c -> deliver(() -> c.reply().failed(e)));
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Adds waiting calls to {@code batch} until it is full or its oldest call has waited maxWait.
   * It waits only while calls outside the batch are running: their answers are what bring their
   * clients' next calls, so a lone client never waits for company that cannot come.
   */
  private void gather(List<Call> batch) throws InterruptedException {
    long deadline = batch.get(0).arrivedNanos() + maxWaitNanos;
    queue.drainTo(batch, maxBatch - batch.size());
    while (batch.size() < maxBatch && outstanding.get() > batch.size()) {
      long left = deadline - System.nanoTime();
      Call next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
      if (next == null) {
        return;
      }
      batch.add(next);
      queue.drainTo(batch, maxBatch - batch.size());
    }
  }

  /** One run per model among {@code batch}'s calls (a reload may put two versions in one batch). */
  private void run(List<Call> batch, SplittableRandom random) {
    Map<OnnxPolicy, List<Call>> byModel = new LinkedHashMap<>();
    for (Call c : batch) {
      byModel.computeIfAbsent(c.policy(), p -> new ArrayList<>()).add(c);
    }
    byModel.forEach((policy, calls) -> {
      batchSizes.record(calls.size());
      List<OnnxPolicy.Decision> decisions;
      try {
        decisions = policy.act(calls.stream().map(Call::input).toList(), random);
      } catch (Exception e) {
        calls.forEach(c -> deliver(() -> c.reply().failed(e)));
        return;
      }
      for (int i = 0; i < calls.size(); i++) {
        OnnxPolicy.Decision d = decisions.get(i);
        Reply reply = calls.get(i).reply();
        deliver(() -> reply.decided(d));
      }
    });
    outstanding.addAndGet(-batch.size());
  }

  /**
   * Runs one reply (an answer or a failure). A client that went away meanwhile (cancelled,
   * deadline passed) makes gRPC throw on it: that call is over, and the worker, the batch's other
   * calls and a closing batcher's remaining calls go on.
   */
  private static void deliver(Runnable reply) {
    try {
      reply.run();
    } catch (RuntimeException e) {
      log.debug("an Act answer could not be sent (the client has gone)", e);
    }
  }

  /** Stops the workers; calls still queued are failed. */
  @Override
  public void close() throws InterruptedException {
    workers.forEach(Thread::interrupt);
    for (Thread t : workers) {
      t.join();
    }
    List<Call> left = new ArrayList<>();
    queue.drainTo(left);
    InterruptedException stopped = new InterruptedException("policy server stopping");
    left.forEach(c -> deliver(() -> c.reply().failed(stopped)));
  }
}
