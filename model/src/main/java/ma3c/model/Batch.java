package ma3c.model;

/**
 * One rollout as the loss sees it: per step the observation (uint8, frames x 84 x 84), the action
 * taken, the n-step return and the advantage; for the LSTM the state it started from.
 */
public record Batch(int steps, byte[][] observations, int[] actions, double[] returns,
    double[] advantages, double[] h0, double[] c0) {}
