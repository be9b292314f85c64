package ma3c.learner.algo;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

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

  /** Episodes a game must finish between decisions for its progress to count. */
  static final int MIN_EPISODES = 5;
  /** Default frames (all games) between decisions: about half a minute of training on 2 cores. */
  public static final long DECISION_FRAMES = 250_000;

  private final Map<String, GameState> previous = new HashMap<>();
  private final Map<String, double[]> range = new HashMap<>();
  private final Map<String, Double> lastProgress = new LinkedHashMap<>();

  /** The progress each game showed at the last decision (score range units per million frames). */
  public Map<String, Double> lastProgress() {
    return Map.copyOf(lastProgress);
  }

  /** The next active counts, from the current ones, the bounds and where each game stands. */
  public Map<String, Integer> next(ThreadAllocation allocation, Map<String, GameState> now) {
    Map<String, Integer> active = new LinkedHashMap<>(allocation.active());
    lastProgress.clear();
    int freed = 0;
    for (Map.Entry<String, GameState> e : now.entrySet()) {
      if (e.getValue().done() && active.get(e.getKey()) > 0) {
        freed += active.get(e.getKey());
        active.put(e.getKey(), 0);
      }
    }
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
    // Threads of finished games go to the unfinished ones, most progress first, up to their max.
    for (String game : byProgress(now)) {
      int room = allocation.bounds(game).max() - active.get(game);
      int add = Math.min(room, freed);
      active.put(game, active.get(game) + add);
      freed -= add;
    }
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

  private Iterable<String> byProgress(Map<String, GameState> now) {
    return now.keySet().stream().filter(g -> !now.get(g).done())
        .sorted((a, b) -> Double.compare(lastProgress.getOrDefault(b, 0.0),
            lastProgress.getOrDefault(a, 0.0)))
        .toList();
  }
}
