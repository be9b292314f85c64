package ma3c.learner.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import ma3c.learner.run.EpisodeLog;
import org.junit.jupiter.api.Test;

/**
 * The docs quote the reports, never a number of their own: every confidence interval in
 * docs/REPRODUCTION.md and docs/BEYOND.md (with the mean or ratio before it, where one is given)
 * stands in some committed results.md. A report regenerated after a new seed changes its
 * intervals; a doc still quoting the old ones fails here. The same holds for the samples behind
 * them: each figure section's "Each seed's own score" lists, game by game and arm by arm, the
 * scores of its report's seed table, in seed order; its compute line counts the campaign's kept
 * runs, and its Pong tally ("8 of the 18 finished runs that play Pong ended at its floor") the
 * figures' kept runs that play Pong and those of them that never left its floor.
 */
class QuotedResultsTest {
  private static final Path ROOT = Path.of("..");
  private static final String NUMBER = "[-+]?\\d[\\d,]*\\.\\d+x?";
  private static final Pattern QUOTED =
      Pattern.compile("(?:" + NUMBER + "\\s+)?\\[" + NUMBER + ",\\s+" + NUMBER + "\\]");

  private static final String SEED_LIST = "Each seed's own score:";
  private static final Pattern REPORT_LINK =
      Pattern.compile("\\(\\.\\./experiments/results/([^/]+)/results\\.md\\)");
  private static final Map<String, String> GAMES = Map.of("Pong", "pong", "Breakout", "breakout",
      "SpaceInvaders", "space_invaders", "Phoenix", "phoenix");
  /** "Pong, A3C 16.06, -20.18; MA3C-1 18.63, 10.97." up to the full stop after a number. */
  private static final Pattern GAME_LIST = Pattern.compile("(" + String.join("|", GAMES.keySet())
      + "), ((?:(?:A3C|MA3C-\\d) [-\\d.,;\\s]+?)+)(?=\\.(?:\\s|$))");
  private static final Pattern ARM_LIST = Pattern.compile("(A3C|MA3C-\\d) ([-\\d.,\\s]+)");
  private static final Pattern COMPUTE_LINE =
      Pattern.compile("The campaign \\(seeds 2 on\\), so far: (\\d+ runs, \\d+M frames) kept"
          .replace(" ", "\\s+")); // the line may wrap anywhere
  /**
   * A Pong run whose last 100 episodes at its budget average below this has not left the floor:
   * random play scores about -20.7, and every such run here ended at -20.08 to -20.42; the lowest
   * run that learned (slowly) ended at -10.39.
   */
  private static final double PONG_FLOOR = -19.5;
  /** "Of the 18 finished runs that play Pong, 8 ended at its floor", or "8 of the 18 ... ended". */
  private static final Pattern PONG_TALLY = Pattern.compile("Of the (\\d+) finished runs that play"
      + " Pong, (\\d+) ended at its floor|(\\d+) of the (\\d+) finished runs that play Pong ended");
  /** A finished seed's cell: its score, its evaluation in parentheses where it has one. */
  private static final Pattern SEED_CELL = Pattern.compile("([-+]?\\d+\\.\\d+)(?: \\([^)]*\\))?");

  @Test
  void everyIntervalTheDocsQuoteIsInACommittedReport() throws IOException {
    String reports = committedReports();
    List<String> unreported = new ArrayList<>();
    int quoted = 0;
    for (String doc : List.of("docs/REPRODUCTION.md", "docs/BEYOND.md")) {
      String text = Files.readString(ROOT.resolve(doc));
      quoted += (int) QUOTED.matcher(text).results().count();
      unreported.addAll(unreported(text, reports).stream().map(q -> doc + ": " + q).toList());
    }
    assertTrue(quoted >= 6,
        "REPRODUCTION quotes the figures' verdicts with their intervals: " + quoted);
    assertEquals(List.of(), unreported, "quoted in the docs, in no committed results.md");
  }

  @Test
  void aQuoteIsCheckedWithItsMeanWhereItGivesOne() {
    String report = "| MA3C-1 | 0.74x [0.69x, 0.79x] | -13.57 [-16.28, -10.86] |";
    assertEquals(List.of(), unreported("0.74x\n[0.69x, 0.79x], or just [-16.28, -10.86]", report));
    assertEquals(List.of("0.75x [0.69x, 0.79x]", "[-16.28, -10.85]"),
        unreported("not 0.75x [0.69x, 0.79x] nor [-16.28, -10.85]; scored 0.74 points", report));
  }

  @Test
  void everySeedListInReproductionIsItsFiguresSeedTable() throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/REPRODUCTION.md"));
    int lists = 0;
    for (String section : doc.split("\n## ")) {
      Matcher report = REPORT_LINK.matcher(section);
      int at = section.indexOf(SEED_LIST);
      if (at < 0 || !report.find()) {
        continue;
      }
      lists++;
      String listed = section.substring(at + SEED_LIST.length()).split("\n\n")[0];
      Path table = ROOT.resolve("experiments/results/" + report.group(1) + "/results.md");
      assertEquals(seedTable(Files.readString(table)), seedList(listed),
          "the seed list under " + section.lines().findFirst().orElseThrow());
    }
    assertEquals(3, lists, "each figure's section lists its seeds");
  }

  @Test
  void theComputeLineCountsTheCampaignsKeptRuns() throws IOException {
    Map<String, Long> frames = new TreeMap<>();
    keptFigureRuns().forEach((id, kept) -> {
      if (kept.run().seed() > 1) {
        frames.put(id, kept.figure().framesPerGame() * kept.run().games().size());
      }
    });
    long millions = frames.values().stream().mapToLong(Long::longValue).sum() / 1_000_000;
    Matcher line = COMPUTE_LINE.matcher(Files.readString(ROOT.resolve("docs/REPRODUCTION.md")));
    assertTrue(line.find(), "REPRODUCTION's compute line");
    assertEquals(frames.size() + " runs, " + millions + "M frames",
        line.group(1).replaceAll("\\s+", " "),
        "the campaign's kept runs (seeds 2 on): " + frames.keySet());
  }

  @Test
  void thePongTallyCountsTheKeptRunsAtItsFloor() throws IOException {
    Map<String, Double> pong = new TreeMap<>();
    for (Map.Entry<String, KeptRun> e : keptFigureRuns().entrySet()) {
      KeptRun kept = e.getValue();
      if (kept.run().games().contains("pong")) {
        pong.put(e.getKey(), EpisodeLog.read(kept.log()).games().get("pong").stream()
            .filter(p -> p.frames() <= kept.figure().framesPerGame()).reduce((a, b) -> b)
            .orElseThrow().mean100());
      }
    }
    long floor = pong.values().stream().filter(score -> score < PONG_FLOOR).count();
    String counted = pong.size() + " runs, " + floor + " at the floor";
    Matcher tally = PONG_TALLY.matcher(
        Files.readString(ROOT.resolve("docs/REPRODUCTION.md")).replaceAll("\\s+", " "));
    int tallies = 0;
    while (tally.find()) {
      tallies++;
      String quoted = tally.group(1) != null
          ? tally.group(1) + " runs, " + tally.group(2) + " at the floor"
          : tally.group(4) + " runs, " + tally.group(3) + " at the floor";
      assertEquals(counted, quoted, "REPRODUCTION's Pong tally \"" + tally.group() + "\": " + pong);
    }
    assertTrue(tallies >= 2, "REPRODUCTION tallies Pong's floor in its summary and across the figures");
  }

  @Test
  void aSeedListReadsAsTheReportsTable() {
    String report = """
        ## pong

        | each seed: score at the budget (evaluation) | seed 1 | seed 2 | seed 3 |
        |---|---|---|---|
        | A3C | 16.06 | -20.18 (-20.20) | not run yet |
        | MA3C-1 | 18.63 | 10.97 (10.80) | not run yet |

        ## space_invaders

        | each seed: score at the budget (evaluation) | seed 1 | seed 2 | seed 3 |
        |---|---|---|---|
        | A3C | 408.95 | 387.90 (417.17) | not run yet |
        """;
    Map<String, List<String>> seeds = Map.of("pong A3C", List.of("16.06", "-20.18"),
        "pong MA3C-1", List.of("18.63", "10.97"),
        "space_invaders A3C", List.of("408.95", "387.90"));
    assertEquals(seeds, seedTable(report));
    assertEquals(seeds, seedList("Pong, A3C 16.06, -20.18; MA3C-1 18.63,\n10.97. SpaceInvaders,"
        + " A3C 408.95, 387.90. No run collapsed."));
    assertEquals(Map.of("pong A3C", List.of("16.06")), seedList("Pong, A3C 16.06."));
  }

  /** "game arm" to the scores a doc's seed list gives, in its order. */
  static Map<String, List<String>> seedList(String text) {
    Map<String, List<String>> seeds = new LinkedHashMap<>();
    Matcher game = GAME_LIST.matcher(text.replaceAll("\\s+", " "));
    while (game.find()) {
      Matcher arm = ARM_LIST.matcher(game.group(2));
      while (arm.find()) {
        seeds.put(GAMES.get(game.group(1)) + " " + arm.group(1),
            List.of(arm.group(2).replaceAll("[;\\s]+$", "").split(",\\s*")));
      }
    }
    return seeds;
  }

  /** "game arm" to the finished seeds' scores in a report's seed tables, in seed order. */
  static Map<String, List<String>> seedTable(String report) {
    Map<String, List<String>> seeds = new LinkedHashMap<>();
    for (String section : report.split("\n## ")) {
      String game = section.lines().findFirst().orElseThrow().replace("## ", "").trim();
      int table = section.indexOf("| each seed:");
      if (table < 0) {
        continue;
      }
      section.substring(table).lines().skip(2).takeWhile(l -> l.startsWith("|")).forEach(row -> {
        String[] cells = row.split("\\s*\\|\\s*");
        List<String> scores = new ArrayList<>();
        for (int i = 2; i < cells.length; i++) {
          Matcher cell = SEED_CELL.matcher(cells[i]);
          if (cell.matches()) {
            scores.add(cell.group(1));
          }
        }
        seeds.put(game + " " + cells[1], scores);
      });
    }
    return seeds;
  }

  /** A run of a figure manifest whose episode log the figure keeps. */
  private record KeptRun(Manifest figure, ArmRun run, Path log) {}

  /** The figures' kept runs by run id, each once: Figure 5 reads Figure 4's A3C runs. */
  private static Map<String, KeptRun> keptFigureRuns() throws IOException {
    Map<String, KeptRun> kept = new TreeMap<>();
    try (Stream<Path> manifests = Files.list(ROOT.resolve("experiments"))) {
      for (Path file : manifests.filter(f -> f.getFileName().toString().startsWith("fig"))
          .toList()) {
        Manifest m = Manifest.load(file);
        Path episodes = ROOT.resolve("experiments/results/" + m.figure() + "/episodes");
        for (ArmRun run : ArmRun.plan(m)) {
          Path log = episodes.resolve(run.id() + ".jsonl.gz");
          if (Files.exists(log)) {
            kept.put(run.id(), new KeptRun(m, run, log));
          }
        }
      }
    }
    return kept;
  }

  /** The quoted intervals (each with its mean where the doc gives one) that the reports lack. */
  static List<String> unreported(String doc, String reports) {
    return QUOTED.matcher(doc).results().map(MatchResult::group)
        .map(quote -> quote.replaceAll("\\s+", " ")) // a quote may wrap across lines
        .filter(quote -> !reports.contains(quote)).toList();
  }

  private static String committedReports() throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(ROOT.resolve("experiments/results"))) {
      for (Path f : files.filter(f -> f.getFileName().toString().equals("results.md"))
          .sorted().toList()) {
        all.append(Files.readString(f)).append('\n');
      }
    }
    return all.toString();
  }
}
