package ma3c.learner.train;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import ma3c.learner.run.RunConfig;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One training setting, declared once: its option, default, range, help, whether a resume may
 * change it, and where a run keeps it. The train command's option, its range check, the resume
 * rules and the README's defaults table (checked by a test) all come from here.
 *
 * @param option the command-line name, e.g. {@code --gamma}
 * @param type the option's value type (a boxed type; {@code Boolean} is a flag)
 * @param defaultValue the value when not given; null where it depends on other options
 * @param defaultText the default as help and README say it ("5 FF, 20 LSTM")
 * @param valid whether a given value is in range
 * @param range what {@code valid} accepts, as the error message says it ("in (0, 1]")
 * @param help what the option does
 * @param resumable whether a resume may give another value than the run's
 * @param inRun the value a run's configuration holds
 */
public record Setting<T>(String option, Class<T> type, T defaultValue, String defaultText,
    Predicate<T> valid, String range, String help, boolean resumable, Function<RunConfig, T> inRun) {

  public Setting {
    Objects.requireNonNull(option);
    Objects.requireNonNull(type);
  }

  /** A setting whose default is a value. */
  static <T> Setting<T> of(String option, Class<T> type, T defaultValue, Predicate<T> valid,
      String range, String help, boolean resumable, Function<RunConfig, T> inRun) {
    return new Setting<>(option, type, defaultValue, String.valueOf(defaultValue), valid, range,
        help, resumable, inRun);
  }

  /** A flag: off unless given. */
  static Setting<Boolean> flag(String option, String help, Function<RunConfig, Boolean> inRun) {
    return new Setting<>(option, Boolean.class, false, "off", v -> true, "", help, false, inRun);
  }

  public boolean isFlag() {
    return type == Boolean.class;
  }

  /** Null when {@code value} is in range, else the one-line reason (OptionChecks' format). */
  public String problem(T value) {
    return value == null || valid.test(value) ? null
        : option + " must be " + range + ", got " + value;
  }

  /** The picocli option of this setting (its value is kept in the option spec). */
  OptionSpec optionSpec() {
    OptionSpec.Builder b = OptionSpec.builder(option).type(type).description(
        help + (isFlag() ? "" : " Default: " + defaultText + "."));
    if (isFlag()) {
      b.arity("0");
    } else {
      b.paramLabel("<" + option.substring(2).replace('-', '_') + ">");
    }
    if (defaultValue != null) {
      b.defaultValue(String.valueOf(defaultValue));
    }
    return b.build();
  }
}
