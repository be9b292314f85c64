package ma3c.learner.allocation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import ma3c.learner.algo.Turns;

/**
 * How many of each game's actor-learner threads may run now (--allocation). Each game gets
 * {@link Bounds#max()} threads; a thread whose slot (its index in the game's group) is not below
 * the game's active count waits before its next rollout, so moving a thread between games is
 * changing two counts: the CPU follows the running threads. Equal allocation is fixed bounds.
 */
public final class ThreadAllocation {
  /** A game's least and most active threads. */
  public record Bounds(int min, int max) {}

  private final Map<String, Bounds> bounds;
  private final Map<String, Integer> active;
  private final int total;

  private ThreadAllocation(Map<String, Bounds> bounds, Map<String, Integer> active) {
    this.bounds = Map.copyOf(bounds);
    this.active = new LinkedHashMap<>(active);
    this.total = active.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Threads that may run at once in all: the thread groups' sizes added up. */
  public int total() {
    return total;
  }

  /** The paper's: each game always runs its own thread group. */
  public static ThreadAllocation equal(Map<String, Integer> threadsPerGame) {
    Map<String, Bounds> bounds = new LinkedHashMap<>();
    threadsPerGame.forEach((g, n) -> bounds.put(g, new Bounds(n, n)));
    return new ThreadAllocation(bounds, threadsPerGame);
  }

  /**
   * Starts at {@code threadsPerGame}; a game may go down to half its threads (at least 1) and up
   * to 1.5 times them, never above the total less the other games' minimums.
   */
  public static ThreadAllocation adaptive(Map<String, Integer> threadsPerGame) {
    int total = threadsPerGame.values().stream().mapToInt(Integer::intValue).sum();
    Map<String, Integer> mins = new LinkedHashMap<>();
    threadsPerGame.forEach((g, n) -> mins.put(g, Math.max(1, (n + 1) / 2)));
    int minSum = mins.values().stream().mapToInt(Integer::intValue).sum();
    Map<String, Bounds> bounds = new LinkedHashMap<>();
    threadsPerGame.forEach((g, n) -> bounds.put(g, new Bounds(mins.get(g),
        Math.max(n, Math.min(n + n / 2, total - (minSum - mins.get(g)))))));
    return new ThreadAllocation(bounds, threadsPerGame);
  }

  public Bounds bounds(String game) {
    return bounds.get(game);
  }

  /** Threads to start for {@code game}: its most. */
  public int threads(String game) {
    return bounds.get(game).max();
  }

  public synchronized Map<String, Integer> active() {
    return Map.copyOf(active);
  }

  /** New active counts, each within its game's bounds (a finished game may go to 0). */
  public synchronized void set(Map<String, Integer> next) {
    next.forEach((game, n) -> {
      Bounds b = bounds.get(game);
      if (b == null || n < 0 || n > b.max()) {
        throw new IllegalArgumentException(game + ": " + n + " threads outside " + b);
      }
    });
    active.putAll(next);
    notifyAll();
  }

  /**
   * Waits until thread {@code slot} of {@code game} may run; false when {@code stopped} turned
   * true first.
   */
  public synchronized boolean awaitTurn(String game, int slot, BooleanSupplier stopped) {
    while (slot >= active.get(game)) {
      if (stopped.getAsBoolean()) {
        return false;
      }
      try {
        wait(500); // and look at `stopped` again: a stop does not notify
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Thread {@code slot} of {@code game}'s turns: it runs while the game's active count includes it. */
  public Turns turns(String game, int slot) {
    return done -> awaitTurn(game, slot, done);
  }
}
