package ma3c.learner.algo;

import java.util.function.BooleanSupplier;

/** Whether an actor-learner thread may run its next rollout now (the run's thread allocation). */
@FunctionalInterface
public interface Turns {
  /** Waits until the thread may run; false when {@code done} turned true first. */
  boolean await(BooleanSupplier done);
}
