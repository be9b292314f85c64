package ma3c.learner.allocation;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Adaptive thread allocation: at each decision, one thread moves from the game whose score
 * improved least (per million frames of it, on the scale of the scores it has shown) to the one
 * that improved most, within their bounds; a game that met its budget gives its threads to the
 * others. Learning progress, not score: a game stuck at its floor and a game already at its
 * ceiling both show none, and the threads go where they currently buy the most.
 */
public final class AllocationPolicy {
  /** Where a game stands at a decision. */
  public record GameState(double mean100, long episodes, long frames, boolean done) {}

  /**
   * What the policy remembers between decisions (each game's state at its last measured decision
   * and the range of scores it has shown), kept in checkpoints so that a resumed run decides as
   * the uninterrupted one would have.
   */
  public record Memory(Map<String, GameState> previous, Map<String, double[]> seen) {}

  /** Episodes a game must finish between decisions for its progress to count. */
  static final int MIN_EPISODES = 5;
  /** Default frames (all games) between decisions: about half a minute of training on 2 cores. */
  public static final long DECISION_FRAMES = 250_000;

  private final Map<String, GameState> previous = new HashMap<>();
  private final Map<String, double[]> range = new HashMap<>();
  private final Map<String, Double> lastProgress = new LinkedHashMap<>();

  public synchronized Memory memory() {
    Map<String, double[]> seen = new HashMap<>();
    range.forEach((g, r) -> seen.put(g, r.clone()));
    return new Memory(Map.copyOf(previous), seen);
  }

  /** Continues from {@code memory} (a resume). */
  public synchronized void restore(Memory memory) {
    previous.putAll(memory.previous());
    memory.seen().forEach((g, r) -> range.put(g, r.clone()));
  }

  /** The progress each game showed at the last decision (score range units per million frames). */
  public synchronized Map<String, Double> lastProgress() {
    return Map.copyOf(lastProgress);
  }

  /** The next active counts, from the current ones, the bounds and where each game stands. */
  public synchronized Map<String, Integer> next(ThreadAllocation allocation, Map<String, GameState> now) {
    lastProgress.clear();
    String best = null;
    String worst = null;
    for (Map.Entry<String, GameState> e : now.entrySet()) {
      String game = e.getKey();
      GameState state = e.getValue();
      if (state.done() || Double.isNaN(state.mean100())) {
        continue;
      }
      double[] seen = range.computeIfAbsent(game, g -> new double[] {state.mean100(), state.mean100()});
      seen[0] = Math.min(seen[0], state.mean100());
      seen[1] = Math.max(seen[1], state.mean100());
      GameState before = previous.get(game);
      if (before == null || Double.isNaN(before.mean100())
          || state.episodes() - before.episodes() < MIN_EPISODES || state.frames() <= before.frames()) {
        continue;
      }
      double scale = Math.max(1, seen[1] - seen[0]);
      double progress = (state.mean100() - before.mean100()) / scale
          / ((state.frames() - before.frames()) / 1e6);
      lastProgress.put(game, progress);
      if (best == null || progress > lastProgress.get(best)) {
        best = game;
      }
      if (worst == null || progress < lastProgress.get(worst)) {
        worst = game;
      }
    }
    Set<String> done = new HashSet<>();
    now.forEach((game, state) -> {
      if (state.done()) {
        done.add(game);
      }
    });
    Map<String, Integer> active = settle(allocation, allocation.active(), done, byProgress(now));
    if (best != null && !best.equals(worst) && lastProgress.get(best) > lastProgress.get(worst)
        && active.get(worst) > allocation.bounds(worst).min()
        && active.get(best) < allocation.bounds(best).max()) {
      active.put(worst, active.get(worst) - 1);
      active.put(best, active.get(best) + 1);
    }
    // Only decisions with progress measured move threads; the next one compares with this one.
    now.forEach((game, state) -> {
      GameState before = previous.get(game);
      if (before == null || state.episodes() - before.episodes() >= MIN_EPISODES) {
        previous.put(game, state);
      }
    });
    return active;
  }

  /**
   * {@code current} made to fit which games are finished: a finished game runs no thread; an
   * unfinished one below its least (its budget was raised on a resume) gets it, from idle threads
   * first, then from the games furthest above theirs; idle threads then go to the unfinished
   * games in {@code order}, each up to its most.
   */
  public static Map<String, Integer> settle(ThreadAllocation allocation, Map<String, Integer> current,
      Set<String> done, Iterable<String> order) {
    Map<String, Integer> active = new LinkedHashMap<>(current);
    done.forEach(game -> active.put(game, 0));
    int idle = allocation.total() - active.values().stream().mapToInt(Integer::intValue).sum();
    for (String game : active.keySet()) {
      while (!done.contains(game) && active.get(game) < allocation.bounds(game).min()) {
        if (idle > 0) {
          idle--;
        } else {
          String donor = null;
          for (String other : active.keySet()) {
            int spare = active.get(other) - allocation.bounds(other).min();
            if (spare > 0 && (donor == null || spare > active.get(donor) - allocation.bounds(donor).min())) {
              donor = other;
            }
          }
          if (donor == null) {
            break;
          }
          active.put(donor, active.get(donor) - 1);
        }
        active.put(game, active.get(game) + 1);
      }
    }
    for (String game : order) {
      int add = Math.min(idle, allocation.bounds(game).max() - active.get(game));
      if (!done.contains(game) && add > 0) {
        active.put(game, active.get(game) + add);
        idle -= add;
      }
    }
    return active;
  }

  private Iterable<String> byProgress(Map<String, GameState> now) {
    return now.keySet().stream().filter(g -> !now.get(g).done())
        .sorted((a, b) -> Double.compare(lastProgress.getOrDefault(b, 0.0),
            lastProgress.getOrDefault(a, 0.0)))
        .toList();
  }
}
