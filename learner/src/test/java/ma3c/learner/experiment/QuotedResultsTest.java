package ma3c.learner.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs quote the reports, never a number of their own: every confidence interval in
 * docs/REPRODUCTION.md and docs/BEYOND.md (with the mean or ratio before it, where one is given)
 * stands in some committed results.md. A report regenerated after a new seed changes its
 * intervals; a doc still quoting the old ones fails here.
 */
class QuotedResultsTest {
  private static final Path ROOT = Path.of("..");
  private static final String NUMBER = "[-+]?\\d[\\d,]*\\.\\d+x?";
  private static final Pattern QUOTED =
      Pattern.compile("(?:" + NUMBER + "\\s+)?\\[" + NUMBER + ",\\s+" + NUMBER + "\\]");

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
    assertTrue(quoted >= 6, "REPRODUCTION quotes the figures' verdicts with their intervals: " + quoted);
    assertEquals(List.of(), unreported, "quoted in the docs, in no committed results.md");
  }

  @Test
  void aQuoteIsCheckedWithItsMeanWhereItGivesOne() {
    String report = "| MA3C-1 | 0.74x [0.69x, 0.79x] | -13.57 [-16.28, -10.86] |";
    assertEquals(List.of(), unreported("0.74x\n[0.69x, 0.79x], or just [-16.28, -10.86]", report));
    assertEquals(List.of("0.75x [0.69x, 0.79x]", "[-16.28, -10.85]"),
        unreported("not 0.75x [0.69x, 0.79x] nor [-16.28, -10.85]; scored 0.74 points", report));
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
      for (Path f : files.filter(f -> f.getFileName().toString().equals("results.md")).sorted().toList()) {
        all.append(Files.readString(f)).append('\n');
      }
    }
    return all.toString();
  }
}
