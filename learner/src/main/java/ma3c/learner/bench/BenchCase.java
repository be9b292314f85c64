package ma3c.learner.bench;

import ma3c.model.Architecture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import ma3c.learner.train.TrainOptions;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.run.RunConfig;

/**
 * One case of `ma3c bench`: what it trains on which games with how many threads.
 *
 * <p>The synthetic kinds isolate the engine: FF or LSTM at a fixed t_max, sticky actions 0.25, no
 * metrics, probes or checkpoints in the window. {@link Kind#TRAIN} is what {@code ma3c train}
 * runs with every default (sticky 0, 30 no-ops, a metrics line and trunk probes every 10 s,
 * progress lines, checkpoints every 5 minutes): its config comes from train's own options.
 */
record BenchCase(Kind kind, List<String> games, int threads, boolean multiTask) {

  enum Kind {
    FF5("ff5", "FF, t_max 5", false, 5),
    FF20("ff20", "FF, t_max 20", false, 20),
    LSTM20("lstm20", "LSTM, t_max 20", true, 20),
    TRAIN("train", "train defaults", false, 0);

    final String id;
    final String label;
    final boolean lstm;
    final int tMax;

    Kind(String id, String label, boolean lstm, int tMax) {
      this.id = id;
      this.label = label;
      this.lstm = lstm;
      this.tMax = tMax;
    }

    static Kind of(String id) {
      for (Kind k : values()) {
        if (k.id.equals(id)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown case '" + id + "' (ff5, ff20, lstm20 or train)");
    }
  }

  /** One game's case: A3C's net with {@code threads} threads. */
  static BenchCase oneGame(Kind kind, String game, int threads) {
    return new BenchCase(kind, List.of(game), threads, false);
  }

  /**
   * The first {@code n} games, {@code threadsPerGame} each, trained as {@code train} trains them
   * by default (MA3C-2, feed-forward; one game too, so that only the number of games changes).
   */
  static BenchCase games(List<String> all, int n, int threadsPerGame) {
    return new BenchCase(Kind.TRAIN, List.copyOf(all.subList(0, n)), n * threadsPerGame, true);
  }

  String label() {
    return multiTask ? String.format(Locale.ROOT, "MA3C-2, %d game%s", games.size(),
        games.size() == 1 ? "" : "s") : kind.label;
  }

  /** The run config: train's defaults for {@link Kind#TRAIN}, else the synthetic case's. */
  RunConfig config(Path roms) {
    if (kind == Kind.TRAIN) {
      List<String> args = new ArrayList<>(List.of("--games", String.join(",", games),
          "--arch", multiTask ? "ma3c-2" : "a3c", "--threads", Integer.toString(threads),
          "--rom-dir", roms.toString()));
      return TrainOptions.parse(args).newRun();
    }
    LinkedHashMap<String, Integer> perGame = new LinkedHashMap<>();
    perGame.put(games.get(0), threads);
    A3CConfig a3c = A3CConfig.defaults(kind.lstm, Long.MAX_VALUE / 4).withTMax(kind.tMax);
    return new RunConfig(new RunConfig.Net(Architecture.A3C, kind.lstm), perGame, a3c,
        new RunConfig.Env(List.of(), roms.toString(), 0.25f, 30, false), 1,
        new RunConfig.Reporting(3600, 3600), null, null, null);
  }
}
