package ma3c.learner.experiment;

import java.util.Locale;
import java.util.function.DoubleFunction;
import ma3c.learner.experiment.stats.Estimate;

/** How results.md writes numbers and estimates. */
final class Cells {
  private Cells() {}

  static String number(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
  }

  /** "53.36 [45.10, 60.21]": the value and its 95% interval; the value alone without one. */
  static String estimate(Estimate e) {
    return estimate(e, Cells::number);
  }

  static String estimate(Estimate e, DoubleFunction<String> format) {
    if (e == null) {
      return "-";
    }
    return format.apply(e.value()) + (e.hasInterval()
        ? " [" + format.apply(e.interval().low()) + ", " + format.apply(e.interval().high()) + "]" : "");
  }
}
