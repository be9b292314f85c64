package ma3c.learner.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import ma3c.learner.LearnerMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The numbers results.md prints, on kept episode logs whose scores are known: every episode of a
 * run returns the same, so each run's score at the budget is that return, and every interval can
 * be worked out by hand. Three seeds: a resampled mean of {a, a + 1, a + 2} is a only when all
 * three draws are a, a chance of 1/27 (3.7%, more than the 2.5% in each tail), and likewise a + 2:
 * its interval is [a, a + 2]; MA3C-1 scores the same with every seed, so its resamples do not move.
 */
class ExperimentReportTest {
  private static final long BUDGET = 10_000;

  @TempDir
  Path dir;

  private Path manifest() throws IOException {
    Path file = dir.resolve("fig.json");
    Files.writeString(file, "{\"figure\": \"fig\", \"title\": \"Pong + Breakout\","
        + " \"games\": [\"pong\", \"breakout\"], \"arms\": [{\"name\": \"A3C\", \"arch\": \"a3c\"},"
        + " {\"name\": \"MA3C-1\", \"arch\": \"ma3c-1\"}], \"lstm\": false, \"threadsPerGame\": 1,"
        + " \"framesPerGame\": " + BUDGET + ", \"seeds\": [1, 2, 3], \"train\": [],"
        + " \"claims\": [{\"game\": \"pong\", \"ratio\": 1.0, \"says\": \"about equal\"},"
        + " {\"game\": \"breakout\", \"ratio\": 2.0, \"says\": \"about 2x\"}]}");
    return file;
  }

  /**
   * Kept logs: A3C scores 5, 6, 7 on Pong and 10, 11, 12 on Breakout (seeds 1, 2, 3); MA3C-1 6 on
   * Pong and 22 on Breakout with every seed.
   */
  private void keepLogs(Path file) throws IOException {
    keepLogs(Manifest.load(file), BUDGET);
  }

  /** Logs of every run of {@code m} up to {@code frames} of each game (the budget: finished). */
  private void keepLogs(Manifest m, long frames) throws IOException {
    Path episodes = dir.resolve("results/fig/episodes");
    Files.createDirectories(episodes);
    for (ArmRun run : ArmRun.plan(m)) {
      boolean ma3c = run.arm().name().equals("MA3C-1");
      StringBuilder log = new StringBuilder();
      for (long gameFrames = 100; gameFrames <= frames; gameFrames += 100) {
        int game = 0;
        for (String name : run.games()) {
          double score = ma3c ? (name.equals("pong") ? 6 : 22)
              : (name.equals("pong") ? 5 : 10) + run.seed() - 1;
          long runFrames = gameFrames * run.games().size() - (run.games().size() - 1 - game++);
          log.append(String.format(Locale.ROOT, "{\"time\":0.0,\"game\":\"%s\",\"thread\":0,"
              + "\"frames\":%d,\"gameFrames\":%d,\"episodeReturn\":%.1f,\"length\":10}%n",
              name, runFrames, gameFrames, score));
        }
      }
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(episodes.resolve(run.id() + ".jsonl.gz")))) {
        out.write(log.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private String report(Path file, String results, String... more) throws IOException {
    List<String> args = new java.util.ArrayList<>(List.of("experiment", file.toString(), "--report-only",
        "--runs-dir", dir.resolve("runs").toString(), "--results-dir", dir.resolve(results).toString(),
        "--rom-dir", Files.createDirectories(dir.resolve("no-roms")).toString()));
    args.addAll(List.of(more));
    assertEquals(0, LearnerMain.commandLine().execute(args.toArray(String[]::new)));
    return Files.readString(dir.resolve(results).resolve("fig/results.md"));
  }

  private static void assertContains(String md, String... parts) {
    for (String part : parts) {
      assertTrue(md.contains(part), "'" + part + "' in:\n" + md);
    }
  }

  @Test
  void scoresRatiosAndVerdictsAreTheHandComputedOnes() throws IOException {
    Path file = manifest();
    keepLogs(file);
    String md = report(file, "results");
    // Breakout: A3C {10, 11, 12} resamples to a mean in [10, 12], MA3C-1 stays 22: the ratio's
    // interval is [22/12, 22/10], the difference's [22 - 12, 22 - 10].
    assertContains(md,
        "| A3C | 3 | 11.00 [10.00, 12.00] | 11.00 [10.00, 12.00] |",
        "| MA3C-1 | 3 | 22.00 [22.00, 22.00] | 22.00 [22.00, 22.00] |",
        "| MA3C-1 | 2.00x [1.83x, 2.20x] | +11.00 [+10.00, +12.00] | 1.00 [1.00, 1.00] |",
        // Pong: A3C {5, 6, 7}, MA3C-1 6: a ratio from 6/7 to 6/5; P = (1 + 1/2 + 0) / 3, and 1 or 0
        // when A3C resamples to three 5s or three 7s (1/27 each).
        "| MA3C-1 | 1.00x [0.86x, 1.20x] | +0.00 [-1.00, +1.00] | 0.50 [0.00, 1.00] |",
        "MA3C-1: **supports the claim**: [1.83x, 2.20x] lies above 1.00x and includes the paper's 2.00x.",
        "MA3C-1: **consistent with equal**: [0.86x, 1.20x] includes 1.00x",
        // Each seed's own score, in seed order (no evaluations kept here).
        "| each seed: score at the budget (evaluation) | seed 1 | seed 2 | seed 3 |",
        "| A3C | 5.00 | 6.00 | 7.00 |", "| A3C | 10.00 | 11.00 | 12.00 |",
        "| MA3C-1 | 22.00 | 22.00 | 22.00 |");
    // Human-normalized A3C runs: Pong (s + 20.7) / 35.3 for s = 5, 6, 7; Breakout (s - 1.7) / 28.8
    // for s = 10, 11, 12. The IQM of the 6 cuts one at each end: Breakout's 11 and 12, Pong's 5, 6.
    double iqm = ((11 - 1.7) / 28.8 + (12 - 1.7) / 28.8 + (5 + 20.7) / 35.3 + (6 + 20.7) / 35.3) / 4;
    assertContains(md, String.format(Locale.ROOT, "| A3C | 6 | %.2f [", iqm), "pong -20.7 and 14.6, breakout 1.7 and 30.5");
    assertTrue(Files.size(dir.resolve("results/fig/curves.png")) > 10_000);
    assertTrue(Files.size(dir.resolve("results/fig/" + CurvePictures.PAPER_AXIS)) > 10_000);

    // The same logs, the same report, byte for byte (seeded resampling).
    Files.createDirectories(dir.resolve("again/fig/episodes"));
    try (var logs = Files.list(dir.resolve("results/fig/episodes"))) {
      for (Path log : logs.toList()) {
        Files.copy(log, dir.resolve("again/fig/episodes").resolve(log.getFileName()));
      }
    }
    assertEquals(md, report(file, "again"));
    assertArrayEquals(Files.readAllBytes(dir.resolve("results/fig/curves.png")),
        Files.readAllBytes(dir.resolve("again/fig/curves.png")));
  }

  /** A run under way (a report written mid-campaign) is counted apart and left out of the scores. */
  @Test
  void aRunUnderWayIsLeftOutOfTheScores() throws IOException {
    Path file = manifest();
    keepLogs(file);
    keepLogs(Manifest.load(file).with(null, List.of(4L)), BUDGET / 2);
    String md = report(file, "results", "--seeds", "1,2,3,4");
    assertContains(md, "| A3C | 3 (+1 under way) | 11.00 [10.00, 12.00] |", "| MA3C-1 | 2.00x [1.83x, 2.20x] |",
        "| A3C | 6 | ", "| 100 | 5.0k |", "| A3C | 10.00 | 11.00 | 12.00 | under way (");
  }

  /** One seed: the numbers alone, no interval anywhere, and no verdict. */
  @Test
  void oneSeedHasNoIntervalsAndNoVerdict() throws IOException {
    Path file = manifest();
    keepLogs(file);
    String md = report(file, "results", "--seeds", "1");
    assertContains(md, "| A3C | 1 | 10.00 | 10.00 |", "| MA3C-1 | 2.20x | +12.00 | 1.00 |",
        "MA3C-1: **no verdict**: with 1 seed each there is no interval", "| A3C | 2 | ");
    assertFalse(java.util.regex.Pattern.compile("\\[[-+]?\\d+\\.\\d\\d").matcher(md).find(),
        "no interval from one seed:\n" + md);
  }

  /**
   * Two seeds: still no interval and no verdict. From two, a resampled mean takes 3 values and the
   * interval is the range of the two: two arms of two seeds would "differ" whenever their seeds do
   * not interleave, by chance one time in three.
   */
  @Test
  void twoSeedsHaveNoIntervalsAndNoVerdict() throws IOException {
    Path file = manifest();
    keepLogs(file);
    String md = report(file, "results", "--seeds", "1,2");
    assertContains(md, "| A3C | 2 | 10.50 | 10.50 |", "| MA3C-1 | 2.10x | +11.50 | 1.00 |",
        "MA3C-1: **no verdict**: with 2 seeds each there is no interval (it takes 3 seeds of each arm");
    assertFalse(java.util.regex.Pattern.compile("\\[[-+]?\\d+\\.\\d\\d").matcher(md).find(),
        "no interval from two seeds:\n" + md);
  }
}
