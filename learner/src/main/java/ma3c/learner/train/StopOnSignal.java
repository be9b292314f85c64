package ma3c.learner.train;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ctrl-C or SIGTERM while a command trains: the run in training finishes its rollouts and writes
 * its final checkpoint before the JVM exits (for up to two minutes). Pass {@link #watch} to
 * {@link Training#whileTraining}; close when the command is done.
 */
public final class StopOnSignal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StopOnSignal.class);

  private final AtomicReference<Trainer> running = new AtomicReference<>();
  private final AtomicBoolean signalled = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  private StopOnSignal(String name) {
    hook = new Thread(this::stop, name);
  }

  /** Listening from now on. */
  public static StopOnSignal install(String name) {
    StopOnSignal s = new StopOnSignal(name);
    Runtime.getRuntime().addShutdownHook(s.hook);
    return s;
  }

  /** The trainer a signal now stops (a {@link Training.Hook}). */
  public void watch(Trainer trainer) {
    running.set(trainer);
    // A signal before the trainer existed stops it now.
    if (signalled.get()) {
      trainer.stop();
    }
  }

  /** Whether a signal came: the command stops rather than going on to more work. */
  public boolean signalled() {
    return signalled.get();
  }

  private void stop() {
    signalled.set(true);
    log.info("stopping: finishing rollouts and writing a checkpoint");
    Trainer trainer = running.get();
    if (trainer != null) {
      trainer.stop();
    }
    try {
      finished.await(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    finished.countDown();
    // Also when the run failed: its exit must not print "stopping: ... writing a checkpoint".
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // Stopped by a signal: the hook is already running and sees `finished`.
    }
  }
}
