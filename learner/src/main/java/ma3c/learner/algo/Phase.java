package ma3c.learner.algo;

/** The phases of one update of Algorithm 1, in the order a thread goes through them. */
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
