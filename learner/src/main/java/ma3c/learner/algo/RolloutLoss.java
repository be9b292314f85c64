package ma3c.learner.algo;

/**
 * A rollout's loss terms, summed over its steps: the policy's (A3C's policy-gradient loss, or
 * distillation's KL to the teacher), the value's, and the policy's entropy.
 */
public record RolloutLoss(double policy, double value, double entropy) {}
