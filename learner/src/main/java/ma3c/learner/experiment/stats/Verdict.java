package ma3c.learner.experiment.stats;

import java.util.Locale;

/**
 * What an interval says about a claim "the arm scores about c times the baseline" (c = 2 for
 * "about 2x", 1 for "about equal"): whether it lies on the claim's side of no effect, on the
 * opposite side, or straddles it; whether it includes the claimed size; and where it settles
 * nothing, the smallest effect it could have resolved. It says nothing the interval does not:
 * no interval (fewer than {@link Estimates#MIN_RUNS} seeds), no verdict.
 *
 * @param label a few words: "supports the claim", "inconclusive with 3 seeds each", ...
 * @param reason the interval and what it includes or excludes, in one sentence
 */
public record Verdict(String label, String reason) {

  /**
   * @param claimedRatio the paper's arm / baseline (above 0; 1 for "about equal")
   * @param c the arm against the baseline
   * @param arm the arm's name and {@code baseline} the baseline's, for the sentence
   */
  public static Verdict of(double claimedRatio, Comparison c, String arm, String baseline) {
    if (!(claimedRatio > 0) || Double.isInfinite(claimedRatio)) {
      throw new IllegalArgumentException("a claimed ratio must be above 0, got " + claimedRatio);
    }
    Comparison.Scale scale = c.scale();
    String seeds = c.runs() == c.baselineRuns()
        ? c.runs() + (c.runs() == 1 ? " seed each" : " seeds each")
        : c.runs() + (c.runs() == 1 ? " seed of " : " seeds of ") + arm + " and "
            + c.baselineRuns() + " of " + baseline;
    String claim = "the paper's " + Comparison.Scale.RATIO.format(claimedRatio);
    Estimate e = c.estimate();
    if (!e.hasInterval()) {
      return new Verdict("no verdict", String.format(Locale.ROOT, "with %s there is no interval "
          + "(it takes %d seeds of each arm: from 2 a bootstrap interval is only the range of the"
          + " two), and the %s of the means, %s, cannot tell %s", seeds, Estimates.MIN_RUNS,
          scale == Comparison.Scale.RATIO ? "ratio" : "difference", scale.format(e.value()),
          claimedRatio == 1 ? "a real difference from noise between seeds"
              : claim + " from no effect"));
    }
    Interval i = e.interval();
    double none = scale.noEffect();
    String interval = "[" + scale.format(i.low()) + ", " + scale.format(i.high()) + "]";
    String where = i.above(none) ? "lies above " + scale.format(none)
        : i.below(none) ? "lies below " + scale.format(none)
        : "includes " + scale.format(none) + " (no effect)";
    String higherOrLower = i.above(none) ? "higher" : "lower";
    String resolves = String.format(Locale.ROOT, "with %s it can only resolve effects beyond about "
        + "%s of %s (half its width)", seeds, plusMinus(scale, i.halfWidth()), scale.format(none));

    int claimed = Double.compare(claimedRatio, 1); // the claim's side of no effect, 0: equal
    if (claimed == 0) {
      return i.contains(none)
          ? new Verdict("consistent with equal", String.format(Locale.ROOT, "%s includes %s, so "
              + "it does not exclude equality, but it still allows %s to score anywhere from %s "
              + "below to %s above %s", interval, scale.format(none), arm, distance(scale, none - i.low()),
              distance(scale, i.high() - none), baseline))
          : new Verdict("not equal", String.format(Locale.ROOT, "%s %s: %s scores %s than %s",
              interval, where, arm, higherOrLower, baseline));
    }
    int side = i.above(none) ? 1 : i.below(none) ? -1 : 0;
    if (side == -claimed) {
      return new Verdict("contradicts the claim", String.format(Locale.ROOT, "%s %s: %s scores %s "
          + "than %s, the opposite of %s", interval, where, arm, higherOrLower, baseline, claim));
    }
    if (scale == Comparison.Scale.DIFFERENCE) {
      String size = claim + " has no counterpart as a difference (a seed of " + arm + " or "
          + baseline + " scored 0 or less, where a ratio means nothing)";
      return side == claimed
          ? new Verdict("the paper's direction", String.format(Locale.ROOT, "%s %s: %s scores %s "
              + "than %s; %s", interval, where, arm, higherOrLower, baseline, size))
          : new Verdict("inconclusive with " + seeds, interval + " " + where + "; " + resolves + "; " + size);
    }
    boolean includesClaim = i.contains(claimedRatio);
    boolean beyondClaim = claimed > 0 ? i.above(claimedRatio) : i.below(claimedRatio);
    if (side == claimed) {
      return includesClaim
          ? new Verdict("supports the claim", String.format(Locale.ROOT, "%s %s and includes %s",
              interval, where, claim))
          : new Verdict(beyondClaim ? "larger than claimed" : "smaller than claimed",
              String.format(Locale.ROOT, "%s %s, as the paper says, but excludes %s: %s scores %s "
                  + "than %s by %s than the paper's size", interval, where, claim, arm, higherOrLower,
                  baseline, beyondClaim ? "more" : "less"));
    }
    return includesClaim
        ? new Verdict("inconclusive with " + seeds, String.format(Locale.ROOT,
            "%s %s and %s; %s", interval, where, claim, resolves))
        : new Verdict("short of the claim, direction inconclusive", String.format(Locale.ROOT,
            "%s excludes %s but %s: it cannot tell whether %s scores %s than %s at all; %s",
            interval, claim, where, arm, claimed > 0 ? "higher" : "lower", baseline, resolves));
  }

  /** How far from equal, in words: "12%" of the baseline's score, or "3.40 points". */
  private static String distance(Comparison.Scale scale, double d) {
    return scale == Comparison.Scale.RATIO ? String.format(Locale.ROOT, "%.0f%%", 100 * d)
        : String.format(Locale.ROOT, "%.2f points", d);
  }

  private static String plusMinus(Comparison.Scale scale, double halfWidth) {
    return scale == Comparison.Scale.RATIO ? String.format(Locale.ROOT, "+-%.2fx", halfWidth)
        : String.format(Locale.ROOT, "+-%.2f points", halfWidth);
  }
}
