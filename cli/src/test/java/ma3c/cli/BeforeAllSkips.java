package ma3c.cli;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Reports an assumption that fails in a {@code @BeforeAll} method (no ROMs, no Docker image) as
 * a skip of each of the class's tests. Left to itself, JUnit aborts such a class as a whole, and
 * Surefire and Failsafe write it as a suite with tests="0" skipped="0" (SUREFIRE-2300), which a
 * check for skipped tests (.ci/run's) cannot see. This handler takes the abort instead and skips
 * every test of the class, with the assumption's message, before its {@code @BeforeEach} methods;
 * {@code @AfterAll} methods still run and must cope with what {@code @BeforeAll} never set up.
 *
 * <p>Every test class of a module whose tests have this class on their classpath gets it:
 * META-INF/services registers it, and the parent pom turns on JUnit's extension auto-detection.
 */
public final class BeforeAllSkips implements LifecycleMethodExecutionExceptionHandler,
    BeforeEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(BeforeAllSkips.class);
  private static final String ABORTED = "aborted";

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable thrown)
      throws Throwable {
    if (!(thrown instanceof TestAbortedException)) {
      throw thrown;
    }
    context.getStore(NAMESPACE).put(ABORTED, thrown);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    // A test's store falls back to its class's (and an enclosing class's) store.
    TestAbortedException aborted = context.getStore(NAMESPACE).get(ABORTED,
        TestAbortedException.class);
    if (aborted != null) {
      throw new TestAbortedException("skipped by @BeforeAll: " + aborted.getMessage(), aborted);
    }
  }
}
