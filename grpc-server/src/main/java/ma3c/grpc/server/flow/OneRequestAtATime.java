package ma3c.grpc.server.flow;

import io.grpc.stub.ServerCallStreamObserver;
import java.util.function.BooleanSupplier;

/**
 * Reads a server stream's requests one at a time, as the env service's sessions and the policy
 * service's ActStream do: the next request is asked for once the last one is answered and the
 * client takes answers (gRPC's outbound flow control says it is ready). A client that sends ahead,
 * or stops reading, is then held back by gRPC's flow control, not by a queue in the server.
 *
 * <p>{@code lock} is the handler's own lock: {@link #next} is called holding it, and the onReady
 * callback takes it, so "ready" and the handler's end or cancel are seen in one order; {@code
 * over} says the stream has ended (no request is asked for after that).
 */
public final class OneRequestAtATime {
  private final ServerCallStreamObserver<?> out;
  private final Object lock;
  private final BooleanSupplier over;
  /** Answered, but the client was not ready for more: the next request waits for onReady. */
  private boolean waitingForReady;

  /** Call from the service method (gRPC takes the onReady handler only before it returns). */
  public OneRequestAtATime(ServerCallStreamObserver<?> out, Object lock, BooleanSupplier over) {
    this.out = out;
    this.lock = lock;
    this.over = over;
    out.disableAutoRequest();
    out.setOnReadyHandler(this::ready);
  }

  /** Asks for the stream's first request. */
  public void first() {
    out.request(1);
  }

  /** The last request is answered: asks for the next now, or once the client is ready. Hold the lock. */
  public void next() {
    if (over.getAsBoolean()) {
      return;
    }
    if (out.isReady()) {
      out.request(1);
    } else {
      waitingForReady = true;
    }
  }

  private void ready() {
    synchronized (lock) {
      if (waitingForReady && !over.getAsBoolean() && out.isReady()) {
        waitingForReady = false;
        out.request(1);
      }
    }
  }
}
