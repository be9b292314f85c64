package ma3c.learner.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ThreadAllocationTest {
  private static Map<String, Integer> groups(Object... gameAndThreads) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < gameAndThreads.length; i += 2) {
      out.put((String) gameAndThreads[i], (Integer) gameAndThreads[i + 1]);
    }
    return out;
  }

  @Test
  void adaptiveBoundsAreHalfToOneAndAHalfTimesEachGroup() {
    ThreadAllocation a = ThreadAllocation.adaptive(groups("pong", 8, "breakout", 8));
    assertEquals(new ThreadAllocation.Bounds(4, 12), a.bounds("pong"));
    assertEquals(12, a.threads("breakout"), "threads started: the most it may run");
    assertEquals(Map.of("pong", 8, "breakout", 8), a.active());
    ThreadAllocation small = ThreadAllocation.adaptive(groups("pong", 2, "catch", 1, "breakout", 1));
    assertEquals(new ThreadAllocation.Bounds(1, 2), small.bounds("pong"),
        "capped by the total less the others' minimums");
    assertEquals(new ThreadAllocation.Bounds(1, 1), small.bounds("catch"));
    ThreadAllocation equal = ThreadAllocation.equal(groups("pong", 8, "breakout", 8));
    assertEquals(new ThreadAllocation.Bounds(8, 8), equal.bounds("pong"));
    assertThrows(IllegalArgumentException.class, () -> equal.set(Map.of("pong", 9)));
  }

  @Test
  void aParkedThreadRunsOnceItsSlotIsAllocatedAndLeavesWhenStopped() throws Exception {
    ThreadAllocation a = ThreadAllocation.adaptive(groups("pong", 2, "breakout", 2));
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Boolean> third = CompletableFuture.supplyAsync(() -> a.awaitTurn("pong", 2, stop::get));
    assertTrue(a.awaitTurn("pong", 1, stop::get), "an allocated slot does not wait");
    Thread.sleep(200);
    assertFalse(third.isDone(), "slot 2 waits while pong runs 2 threads");
    a.set(Map.of("pong", 3, "breakout", 1));
    assertTrue(third.get(5, TimeUnit.SECONDS));

    CompletableFuture<Boolean> parked = CompletableFuture.supplyAsync(() -> a.awaitTurn("breakout", 1, stop::get));
    stop.set(true);
    assertFalse(parked.get(5, TimeUnit.SECONDS), "a stop releases it without a turn");
  }
}
