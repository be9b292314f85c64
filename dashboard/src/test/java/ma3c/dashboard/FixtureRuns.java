package ma3c.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import ma3c.runformat.RunFiles;

/**
 * Run directories as the learner writes them (config.json in its grouped layout, episodes.jsonl,
 * metrics.jsonl), with made-up learning curves that rise like Pong's and Breakout's.
 */
final class FixtureRuns {
  private FixtureRuns() {}

  /** These games, 8 threads each, in this order. */
  static Map<String, Integer> games(String... names) {
    Map<String, Integer> games = new LinkedHashMap<>();
    for (String g : names) {
      games.put(g, 8);
    }
    return games;
  }

  /** A run of {@code games}, {@code threads} each, with a budget of {@code framesPerGame} per game. */
  static Path create(Path root, String name, Map<String, Integer> games, long framesPerGame, long seed)
      throws IOException {
    Path dir = Files.createDirectories(root.resolve(name));
    StringBuilder threads = new StringBuilder();
    games.forEach((g, t) -> threads.append(threads.length() == 0 ? "" : ", ").append('"').append(g)
        .append("\": ").append(t));
    String arch = games.size() == 1 ? "a3c" : "ma3c-2";
    Files.writeString(dir.resolve(RunFiles.CONFIG), String.format(Locale.ROOT, """
        {
          "net": {"architecture": "%s", "lstm": false},
          "threadsPerGame": {%s},
          "a3c": {
            "rollout": {"tMax": 5, "gamma": 0.99, "rewardClip": 1.0},
            "loss": {"entropyBeta": 0.01, "valueCoef": 0.5, "gradClipNorm": 40.0},
            "rmsProp": {"learningRate": 3.0E-4, "alpha": 0.99, "epsilon": 1.0E-5, "init": 1.0},
            "budget": {"frames": %d, "framesPerGame": %d}
          },
          "seed": %d,
          "reporting": {"checkpointSeconds": 300, "progressSeconds": 10},
          "allocation": {"mode": "adaptive", "everyFrames": 1000000}
        }
        """, arch, threads, framesPerGame * games.size(), framesPerGame, seed));
    return dir;
  }

  /** Episodes of each game up to {@code upTo} frames of that game, as lines of episodes.jsonl. */
  static List<String> episodes(Map<String, Integer> games, long from, long upTo, long seed) {
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>();
    Map<String, Long> frames = new LinkedHashMap<>();
    games.keySet().forEach(g -> frames.put(g, from));
    boolean more = true;
    while (more) {
      more = false;
      for (String game : games.keySet()) {
        long f = frames.get(game);
        if (f >= upTo) {
          continue;
        }
        more = true;
        long length = 600 + random.nextInt(900);
        f += 4 * length;
        frames.put(game, f);
        double progress = Math.min(1, (double) f / upTo);
        double ret = game.equals("pong")
            ? Math.round(Math.max(-21, Math.min(21, -21 + 30 * progress + 4 * random.nextGaussian())))
            : Math.max(0, Math.round(2 + 40 * progress * progress + 5 * random.nextGaussian()));
        lines.add(String.format(Locale.ROOT,
            "{\"time\":%.3f,\"game\":\"%s\",\"thread\":%d,\"frames\":%d,\"gameFrames\":%d,"
                + "\"episodeReturn\":%.1f,\"length\":%d}",
            f / 4000.0, game, random.nextInt(8), f * games.size(), f, ret, length));
      }
    }
    return lines;
  }

  /** metrics.jsonl lines (noise from {@code seed}) every {@code every} frames of the run up to {@code upTo}. */
  static List<String> metrics(Map<String, Integer> games, long upTo, long every, long budget, long seed) {
    List<String> lines = new ArrayList<>();
    Random random = new Random(seed);
    for (long f = every; f <= upTo; f += every) {
      StringBuilder perGame = new StringBuilder();
      int i = 0;
      for (Map.Entry<String, Integer> g : games.entrySet()) {
        double progress = (double) f / budget;
        perGame.append(i++ == 0 ? "" : ",").append(String.format(Locale.ROOT,
            "\"%s\":{\"frames\":%d,\"mean100\":%.2f,\"episodes\":%d,\"policyLoss\":%.4f,"
                + "\"valueLoss\":%.4f,\"entropy\":%.3f,\"gradNorm\":%.2f,\"clippedFraction\":0.0,"
                + "\"blockGradNorms\":{},\"liveUnits\":0.9,\"valueSpread\":1.2,\"updates\":40,\"threads\":%d}",
            g.getKey(), f / games.size(), -20 + 30 * progress, f / 4000, 0.02 * random.nextGaussian(),
            0.05 + 0.02 * random.nextDouble(), 1.7 - 0.6 * progress + 0.05 * random.nextGaussian(),
            5 + 3 * random.nextDouble(), g.getValue() + (int) Math.round(2 * Math.sin(f / 3e6 + i))));
      }
      lines.add(String.format(Locale.ROOT,
          "{\"time\":%.2f,\"frames\":%d,\"fps\":%.1f,\"updates\":%d,\"learningRate\":%.3e,\"games\":{%s}}",
          f / 4400.0, f, 4300 + 200 * random.nextDouble(), f / 80, 3e-4 * (1 - (double) f / budget), perGame));
    }
    return lines;
  }

  static void append(Path file, List<String> lines) throws IOException {
    Files.writeString(file, lines.isEmpty() ? "" : String.join("\n", lines) + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  static void appendRaw(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
