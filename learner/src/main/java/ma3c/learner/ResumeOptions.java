package ma3c.learner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import ma3c.learner.run.RunConfig;

/**
 * Which train options define a run and so cannot change on --resume. Options not listed here
 * (--frames, --env, --rom-dir, --checkpoint-every, --progress-every, --run-dir) may.
 */
final class ResumeOptions {
  private static final Map<String, Function<RunConfig, Object>> FIXED = new LinkedHashMap<>();

  static {
    FIXED.put("--games", RunConfig::threadsPerGame);
    FIXED.put("--threads", RunConfig::threadsPerGame);
    FIXED.put("--arch", c -> c.net().architecture());
    FIXED.put("--lstm", c -> c.net().lstm());
    FIXED.put("--seed", RunConfig::seed);
    FIXED.put("--gamma", c -> c.a3c().rollout().gamma());
    FIXED.put("--t-max", c -> c.a3c().rollout().tMax());
    FIXED.put("--beta", c -> c.a3c().loss().entropyBeta());
    FIXED.put("--value-coef", c -> c.a3c().loss().valueCoef());
    FIXED.put("--lr", c -> c.a3c().rmsProp().learningRate());
    FIXED.put("--rms-alpha", c -> c.a3c().rmsProp().alpha());
    FIXED.put("--rms-eps", c -> c.a3c().rmsProp().epsilon());
    FIXED.put("--rms-init", c -> c.a3c().rmsProp().init());
    FIXED.put("--clip-norm", c -> c.a3c().loss().gradClipNorm());
    FIXED.put("--reward-clip", c -> c.a3c().rollout().rewardClip());
    FIXED.put("--sticky", c -> c.env().stickyActions());
    FIXED.put("--noop-max", c -> c.env().noopMax());
    FIXED.put("--life-loss", c -> c.env().terminalOnLifeLoss());
    FIXED.put("--init-from", c -> c.transfer() == null ? null : c.transfer().from());
    FIXED.put("--freeze", c -> c.freeze().id());
    FIXED.put("--teachers", c -> c.teachers() == null ? List.of() : c.teachers());
    FIXED.put("--allocation", c -> c.adaptiveAllocation() ? RunConfig.ADAPTIVE : RunConfig.EQUAL);
    FIXED.put("--allocation-every", c -> c.allocation() == null ? null : c.allocation().everyFrames());
  }

  private ResumeOptions() {}

  /**
   * The options given on the command line whose value differs from the saved run's, as
   * "--lr 0.001 (run: 3.0E-4)". Given with the run's own value (a container restarting with the
   * same command line) they are fine.
   */
  static List<String> conflicts(RunConfig saved, RunConfig asked, Predicate<String> given) {
    List<String> out = new ArrayList<>();
    FIXED.forEach((option, value) -> {
      if (given.test(option) && !Objects.equals(value.apply(saved), value.apply(asked))) {
        out.add(option + " " + value.apply(asked) + " (run: " + value.apply(saved) + ")");
      }
    });
    return out;
  }
}
