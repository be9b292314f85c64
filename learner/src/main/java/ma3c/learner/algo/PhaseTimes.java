package ma3c.learner.algo;

import java.util.concurrent.atomic.LongAdder;

/**
 * Wall-clock nanoseconds the actor-learner threads spend in each phase of Algorithm 1, summed over
 * threads. With more threads than cores a phase's time includes waiting for a core.
 */
public final class PhaseTimes {
  /** The phases of one update, in the order a thread goes through them. */
  public enum Phase {
    /** theta' = theta: copying the shared parameters into the thread's net. */
    SYNC,
    /** The env service: steps, resets, observation decoding. */
    ENV,
    /** The forward pass that picks a_t (and the bootstrap value). */
    ACT,
    /** n-step returns and the backward pass. */
    GRADIENT,
    /** Clipping and the shared RMSProp step. */
    APPLY
  }

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
