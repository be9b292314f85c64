package ma3c.learner.algo;

import java.util.concurrent.atomic.AtomicLong;

/** Counters shared by all actor-learner threads, and the flag that stops them. */
public final class TrainingCounters {
  private final AtomicLong frames;
  private final AtomicLong updates;
  private final PhaseTimes phases = new PhaseTimes();
  private volatile boolean stopped;

  public TrainingCounters(long frames, long updates) {
    this.frames = new AtomicLong(frames);
    this.updates = new AtomicLong(updates);
  }

  public long frames() {
    return frames.get();
  }

  public long addFrames(long n) {
    return frames.addAndGet(n);
  }

  public long updates() {
    return updates.get();
  }

  public void countUpdate() {
    updates.incrementAndGet();
  }

  /** Where the threads' time goes. */
  public PhaseTimes phases() {
    return phases;
  }

  public boolean stopped() {
    return stopped;
  }

  public void stop() {
    stopped = true;
  }
}
