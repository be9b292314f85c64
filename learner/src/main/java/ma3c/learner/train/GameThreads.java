package ma3c.learner.train;

import java.util.LinkedHashMap;
import ma3c.learner.run.RunConfig;

/** Parses --games: "pong,breakout" (threads split equally) or "pong:6,breakout:10" (explicit). */
public final class GameThreads {
  private GameThreads() {}

  public static LinkedHashMap<String, Integer> parse(String games, int threads) {
    LinkedHashMap<String, Integer> out = new LinkedHashMap<>();
    String[] parts = games.split(",");
    boolean weighted = games.contains(":");
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String part : parts) {
      String name = part.split(":")[0].trim();
      if (!name.isEmpty() && !seen.add(name)) {
        throw new IllegalArgumentException("game " + name + " listed twice in --games '" + games + "'");
      }
    }
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i].trim();
      if (part.isEmpty()) {
        throw new IllegalArgumentException("empty game name in --games '" + games + "'");
      }
      if (weighted) {
        String[] kv = part.split(":");
        if (kv.length != 2) {
          throw new IllegalArgumentException("'" + part + "': write game:threads, e.g. pong:6");
        }
        int n;
        try {
          n = Integer.parseInt(kv[1].trim());
        } catch (NumberFormatException notANumber) {
          throw new IllegalArgumentException("'" + part + "': threads must be a whole number, e.g. pong:6");
        }
        if (n < 1) {
          throw new IllegalArgumentException("'" + part + "': a game needs at least one thread");
        }
        put(out, kv[0].trim(), n);
      } else {
        if (threads < parts.length) {
          throw new IllegalArgumentException(threads + " threads cannot cover " + parts.length
              + " games: every game needs at least one");
        }
        // Equal split; the first games take the remainder.
        put(out, part, threads / parts.length + (i < threads % parts.length ? 1 : 0));
      }
    }
    int total = out.values().stream().mapToInt(Integer::intValue).sum();
    if (weighted && total > RunConfig.MAX_THREADS) {
      throw new IllegalArgumentException("--games '" + games + "' asks for " + total
          + " threads; at most " + RunConfig.MAX_THREADS);
    }
    return out;
  }

  private static void put(LinkedHashMap<String, Integer> out, String game, int n) {
    if (out.put(game, n) != null) {
      throw new IllegalArgumentException("game " + game + " listed twice");
    }
  }
}
