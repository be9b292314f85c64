package ma3c.learner.train;

import java.nio.file.Path;
import java.util.function.UnaryOperator;
import ma3c.learner.run.RunConfig;

/** What a training call does in its run directory: start a new run, or continue the one there. */
public sealed interface RunPlan {
  Path dir();

  /** A new run in {@code dir}, which holds no run yet. */
  record Start(Path dir, RunConfig config) implements RunPlan {}

  /**
   * The run in {@code dir} continued: {@code asked} turns the saved configuration into the one
   * the caller asks for, which {@link RunPlanner#resumed} then checks against it.
   */
  record Continue(Path dir, UnaryOperator<RunConfig> asked) implements RunPlan {}
}
