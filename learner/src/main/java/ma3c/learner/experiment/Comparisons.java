package ma3c.learner.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import ma3c.learner.experiment.stats.Comparison;
import ma3c.learner.experiment.stats.Estimate;
import ma3c.learner.experiment.stats.Estimates;
import ma3c.learner.experiment.stats.HumanNormalized;
import ma3c.learner.experiment.stats.Verdict;
import ma3c.model.Architecture;

/**
 * The parts of results.md that set arms against the A3C arm, from their scores at the budget:
 * per game the ratio, the difference and P(arm > A3C) with their intervals; the verdict on each of
 * the paper's claims; and over the figure's games, the IQM of human-normalized scores and the
 * probability of improvement.
 */
final class Comparisons {
  private final Manifest manifest;
  private final Map<String, Map<String, ExperimentReport.Band>> bands;
  private final Estimates estimates;
  /** The arm the others are set against: the first a3c arm; null when there is none. */
  private final Manifest.Arm baseline;

  Comparisons(Manifest manifest, Map<String, Map<String, ExperimentReport.Band>> bands,
      Estimates estimates) {
    this.manifest = manifest;
    this.bands = bands;
    this.estimates = estimates;
    this.baseline = manifest.arms().stream()
        .filter(a -> Architecture.of(a.arch()) == Architecture.A3C).findFirst().orElse(null);
  }

  /** Each arm's scores at the budget on {@code game}, one per finished seed; empty when none. */
  private double[] scores(Manifest.Arm arm, String game) {
    ExperimentReport.Band b = bands.getOrDefault(game, Map.of()).get(arm.name());
    return b == null ? new double[0] : b.atBudget();
  }

  /** The arms set against the baseline on {@code game}. */
  private List<Manifest.Arm> challengers(String game) {
    return manifest.arms().stream()
        .filter(a -> a != baseline && a.gamesOr(manifest.games()).contains(game)).toList();
  }

  /** "## The paper's claims": a verdict per claim and arm; empty without claims. */
  String claims() {
    if (manifest.claimsOrNone().isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder("\n## The paper's claims\n\nEach judged from the 95% "
        + "interval of the arm's mean score at the budget over " + baseline.name() + "'s (the "
        + "difference instead where a seed of either scored 0 or less): whether it "
        + "lies on the paper's side of no effect, whether it includes the paper's size, and where "
        + "it settles nothing, the smallest effect it could resolve.\n\n");
    for (Manifest.Claim claim : manifest.claimsOrNone()) {
      md.append(String.format(Locale.ROOT, "- **%s**: the paper: \"%s\" (%s)%n", claim.game(),
          claim.says(), Comparison.Scale.RATIO.format(claim.ratio())));
      double[] theirs = scores(baseline, claim.game());
      for (Manifest.Arm arm : challengers(claim.game())) {
        double[] ours = scores(arm, claim.game());
        if (ours.length == 0 || theirs.length == 0) {
          md.append("  - ").append(arm.name()).append(": not run to the budget yet\n");
          continue;
        }
        Verdict v = Verdict.of(claim.ratio(), Comparison.of(ours, theirs, estimates), arm.name(),
            baseline.name());
        md.append(String.format(Locale.ROOT, "  - %s: **%s**: %s.%n", arm.name(), v.label(), v.reason()));
      }
    }
    return md.toString();
  }

  /** The arms against the baseline on one game; empty without a baseline or another arm. */
  String table(String game) {
    if (baseline == null || challengers(game).isEmpty()) {
      return "";
    }
    double[] theirs = scores(baseline, game);
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%n| against %s | ratio of "
        + "scores [95%% CI] | difference [95%% CI] | P(arm > %s) [95%% CI] |%n|---|---|---|---|%n",
        baseline.name(), baseline.name()));
    for (Manifest.Arm arm : challengers(game)) {
      double[] ours = scores(arm, game);
      if (ours.length == 0 || theirs.length == 0) {
        md.append("| ").append(arm.name()).append(" | - | - | - |\n");
        continue;
      }
      String ratio = Estimates.ratioDefined(theirs)
          ? Cells.estimate(estimates.ratioOfMeans(ours, theirs), Comparison.Scale.RATIO::format)
          : "- (an " + baseline.name() + " seed scored 0 or less)";
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", arm.name(), ratio,
          Cells.estimate(estimates.differenceOfMeans(ours, theirs), Comparison.Scale.DIFFERENCE::format),
          Cells.estimate(estimates.probabilityOfImprovement(List.of(ours), List.of(theirs)))));
    }
    return md.toString();
  }

  /** "## Over the figure's games": IQM of human-normalized scores and P(arm > A3C), per arm. */
  String overTheFigure() {
    List<String> games = manifest.games();
    String missing = games.stream().filter(g -> HumanNormalized.reference(g) == null)
        .collect(Collectors.joining(", "));
    StringBuilder md = new StringBuilder("\n## Over the figure's games\n\n");
    if (!missing.isEmpty()) {
      return md.append("No aggregate: ").append(missing)
          .append(" has no published random and human score to normalize by.\n").toString();
    }
    md.append("Human-normalized score = (score - random) / (human - random): 0 plays like a random "
        + "agent, 1 like a human tester, so that games scored in points of different sizes can be "
        + "pooled. Random and human scores from ").append(HumanNormalized.SOURCE).append(": ")
        .append(games.stream().map(g -> g + " " + HumanNormalized.reference(g).random() + " and "
            + HumanNormalized.reference(g).human()).collect(Collectors.joining(", ")))
        .append(". *IQM*: the mean of the middle half of all runs of all these games pooled, at the "
            + "budget (rliable's interquartile mean: a quarter cut at each end).")
        .append(baseline == null ? "" : " *P(arm > " + baseline.name() + ")*: its probability of "
            + "improvement per game, averaged over the games.")
        .append(" The intervals are stratified bootstraps: ")
        .append(String.format(Locale.ROOT, "%,d", estimates.resamples()))
        .append(" resamples of the seeds within each game")
        .append(baseline == null ? ".\n\n" : " (the two arms independently for P).\n\n");
    md.append("| arm | runs | IQM of human-normalized scores [95% CI] |")
        .append(baseline == null ? "" : " P(arm > " + baseline.name() + ") over the games [95% CI] |")
        .append("\n|---|---|---|").append(baseline == null ? "" : "---|").append("\n");
    List<double[]> baseRuns = normalized(baseline);
    for (Manifest.Arm arm : manifest.arms()) {
      if (!arm.gamesOr(games).containsAll(games)) {
        continue; // a transfer experiment's source arm, which plays other games
      }
      List<double[]> runs = normalized(arm);
      String iqm = runs == null ? "- (not every game run to the budget yet)"
          : Cells.estimate(estimates.iqm(runs));
      md.append("| ").append(arm.name()).append(" | ")
          .append(runs == null ? "-" : runs.stream().mapToInt(r -> r.length).sum()).append(" | ")
          .append(iqm).append(" |");
      if (baseline != null) {
        md.append(" ").append(arm == baseline || runs == null || baseRuns == null ? "-"
            : Cells.estimate(estimates.probabilityOfImprovement(runs, baseRuns))).append(" |");
      }
      md.append("\n");
    }
    return md.toString();
  }

  /** The arm's human-normalized scores at the budget, a list per game; null unless all are there. */
  private List<double[]> normalized(Manifest.Arm arm) {
    if (arm == null) {
      return null;
    }
    List<double[]> tasks = new ArrayList<>();
    for (String game : manifest.games()) {
      double[] raw = scores(arm, game);
      if (raw.length == 0) {
        return null;
      }
      tasks.add(java.util.Arrays.stream(raw).map(s -> HumanNormalized.score(game, s)).toArray());
    }
    return tasks;
  }
}
