package ma3c.learner.monitor;

import java.util.concurrent.atomic.LongAdder;
import ma3c.learner.algo.Phase;

/**
 * Wall-clock nanoseconds the actor-learner threads spend in each phase of Algorithm 1, summed over
 * threads. With more threads than cores a phase's time includes waiting for a core.
 */
public final class PhaseTimes {
  private final LongAdder[] nanos = new LongAdder[Phase.values().length];

  public PhaseTimes() {
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = new LongAdder();
    }
  }

  public void add(Phase phase, long nanoseconds) {
    nanos[phase.ordinal()].add(nanoseconds);
  }

  /** Nanoseconds so far, indexed by {@link Phase#ordinal()}. */
  public long[] snapshot() {
    long[] out = new long[nanos.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = nanos[i].sum();
    }
    return out;
  }
}
