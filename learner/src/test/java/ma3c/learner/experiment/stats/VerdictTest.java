package ma3c.learner.experiment.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VerdictTest {
  private static Verdict ratio(double claimed, double low, double high) {
    Comparison c = new Comparison(Comparison.Scale.RATIO,
        new Estimate((low + high) / 2, new Interval(low, high), 3), 3, 3);
    return Verdict.of(claimed, c, "MA3C-1", "A3C");
  }

  private static Verdict difference(double claimed, double low, double high) {
    Comparison c = new Comparison(Comparison.Scale.DIFFERENCE,
        new Estimate((low + high) / 2, new Interval(low, high), 5), 5, 4);
    return Verdict.of(claimed, c, "MA3C-1", "A3C");
  }

  @Test
  void aboutTwiceAgainstEachPlaceTheIntervalCanLie() {
    assertEquals("supports the claim", ratio(2, 1.5, 2.5).label());
    assertEquals("larger than claimed", ratio(2, 2.1, 3.0).label());
    Verdict smaller = ratio(2, 1.2, 1.6);
    assertEquals("smaller than claimed", smaller.label());
    assertTrue(smaller.reason().contains("[1.20x, 1.60x] lies above 1.00x"), smaller.reason());
    Verdict opposite = ratio(2, 0.55, 0.9);
    assertEquals("contradicts the claim", opposite.label());
    assertTrue(opposite.reason().contains("MA3C-1 scores lower than A3C, the opposite of the paper's 2.00x"),
        opposite.reason());
    Verdict open = ratio(2, 0.8, 2.4);
    assertEquals("inconclusive with 3 seeds each", open.label());
    assertTrue(open.reason().contains("includes 1.00x (no effect) and the paper's 2.00x")
        && open.reason().contains("beyond about +-0.80x of 1.00x"), open.reason());
    Verdict shortOf = ratio(2, 0.6, 1.4);
    assertEquals("short of the claim, direction inconclusive", shortOf.label());
    assertTrue(shortOf.reason().contains("excludes the paper's 2.00x but includes 1.00x"), shortOf.reason());
  }

  @Test
  void aClaimOfLessIsJudgedTheOtherWayRound() {
    assertEquals("supports the claim", ratio(0.5, 0.3, 0.7).label());
    assertEquals("contradicts the claim", ratio(0.5, 1.1, 1.7).label());
    assertEquals("smaller than claimed", ratio(0.5, 0.7, 0.9).label(), "less of a drop than claimed");
  }

  @Test
  void aboutEqualSaysHowLargeADifferenceItStillAllows() {
    Verdict equal = ratio(1, 0.85, 1.3);
    assertEquals("consistent with equal", equal.label());
    assertTrue(equal.reason().contains("[0.85x, 1.30x] includes 1.00x, so it does not exclude equality, "
        + "but it still allows MA3C-1 to score anywhere from 15% below to 30% above A3C"), equal.reason());
    Verdict higher = ratio(1, 1.1, 1.3);
    assertEquals("not equal", higher.label());
    assertTrue(higher.reason().contains("MA3C-1 scores higher than A3C"), higher.reason());
    assertEquals("consistent with equal", difference(1, -1.5, 2.5).label());
    String points = difference(1, -1.5, 2.5).reason();
    assertTrue(points.contains("anywhere from 1.50 points below to 2.50 points above A3C"), points);
    assertEquals("not equal", difference(1, -6, -0.5).label());
  }

  /** Where A3C scored 0 or less on a seed the difference judges the direction, never the size. */
  @Test
  void onADifferenceOnlyTheDirectionIsJudged() {
    Verdict up = difference(2, 3, 8);
    assertEquals("the paper's direction", up.label());
    assertTrue(up.reason().contains("has no counterpart as a difference"), up.reason());
    assertEquals("inconclusive with 5 seeds of MA3C-1 and 4 of A3C", difference(2, -2, 4).label());
    assertEquals("contradicts the claim", difference(2, -5, -1).label());
  }

  @Test
  void oneSeedIsNoVerdict() {
    Comparison one = new Comparison(Comparison.Scale.RATIO, new Estimate(0.71, null, 1), 1, 1);
    Verdict v = Verdict.of(2, one, "MA3C-1", "A3C");
    assertEquals("no verdict", v.label());
    assertTrue(v.reason().contains("1 seed each there is no interval") && v.reason().contains("0.71x")
        && v.reason().contains("the paper's 2.00x from no effect"), v.reason());
    assertTrue(Verdict.of(1, one, "MA3C-1", "A3C").reason().contains("a real difference from noise"));
    assertFalse(v.reason().contains("["), "no interval shown: " + v.reason());
    Comparison oneOfThree = new Comparison(Comparison.Scale.RATIO, new Estimate(0.71, null, 1), 1, 3);
    String uneven = Verdict.of(2, oneOfThree, "MA3C-1", "A3C").reason();
    assertTrue(uneven.contains("with 1 seed of MA3C-1 and 3 of A3C there is no interval"), uneven);
  }

  @Test
  void aClaimMustBeAPositiveRatio() {
    assertThrows(IllegalArgumentException.class, () -> ratio(0, 1, 2));
    assertThrows(IllegalArgumentException.class, () -> ratio(Double.NaN, 1, 2));
  }
}
