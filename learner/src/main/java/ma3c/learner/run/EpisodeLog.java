package ma3c.learner.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import ma3c.runformat.EpisodeRecord;

/**
 * Reads a run's episodes.jsonl into learning curves: per game, the mean of the last 100 returns
 * (the paper's score) after each episode, against the frames of that game (logs written before
 * per-game frames were recorded fall back to the run's total); a name ending in .gz is read
 * through gzip (the copies a figure's results keep). Unreadable lines (a torn last line
 * of a killed run, an edited file: {@link EpisodeRecord#parse} says which) are skipped and reported.
 */
public final class EpisodeLog {
  /**
   * The score after an episode: x = frames of its game, y = mean of the last 100 returns.
   *
   * @param runFrames the frames of all the run's games by then (the paper's x-axis for MA3C)
   */
  public record Point(long frames, double mean100, long runFrames) {
    /** A point of a one-game run, whose frames are its game's. */
    public Point(long frames, double mean100) {
      this(frames, mean100, frames);
    }
  }

  /** The curves of one file, and the line numbers it could not read. */
  public record Curves(Map<String, List<Point>> games, List<Integer> badLines) {
    /** One line for the user when lines were skipped, else null. */
    public String warning(Path file) {
      return badLines.isEmpty() ? null : file + ": skipped " + badLines.size() + " unreadable line(s): "
          + badLines.subList(0, Math.min(10, badLines.size())) + (badLines.size() > 10 ? " ..." : "");
    }
  }

  private EpisodeLog() {}

  public static Curves read(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException("no " + file.getFileName() + " in " + file.toAbsolutePath().getParent());
    }
    Map<String, List<Point>> games = new LinkedHashMap<>();
    Map<String, Deque<Double>> windows = new LinkedHashMap<>();
    Map<String, Double> sums = new LinkedHashMap<>();
    List<Integer> bad = new ArrayList<>();
    int lineNumber = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        file.getFileName().toString().endsWith(".gz")
            ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        EpisodeRecord e = EpisodeRecord.parse(line);
        if (e == null) {
          bad.add(lineNumber);
          continue;
        }
        Deque<Double> window = windows.computeIfAbsent(e.game(), k -> new ArrayDeque<>());
        double sum = sums.getOrDefault(e.game(), 0.0) + e.episodeReturn();
        window.addLast(e.episodeReturn());
        if (window.size() > EpisodeStats.WINDOW) {
          sum -= window.removeFirst();
        }
        sums.put(e.game(), sum);
        games.computeIfAbsent(e.game(), g -> new ArrayList<>())
            .add(new Point(e.curveFrames(), sum / window.size(), e.frames()));
      }
    }
    return new Curves(games, bad);
  }
}
