package ma3c.learner.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.run.RunConfig;

/**
 * Decides, without touching a file, whether a training call starts a run, continues one or is
 * refused (a {@link RunRefused} saying why), and what a continued run may change.
 */
public final class RunPlanner {
  private RunPlanner() {}

  /** What defines a run besides its settings: a resume never changes these. */
  private static final Map<String, Function<RunConfig, Object>> SHAPE = new LinkedHashMap<>();

  static {
    SHAPE.put("--games", RunConfig::threadsPerGame);
    SHAPE.put("--arch", c -> c.net().architecture().id());
    SHAPE.put("--lstm", c -> c.net().lstm());
    SHAPE.put("--init-from", c -> c.transfer() == null ? null : c.transfer().from());
    SHAPE.put("--freeze", c -> c.freeze().id());
    SHAPE.put("--teachers", c -> c.teachers() == null ? List.of() : c.teachers());
  }

  /**
   * The plan for a directory.
   *
   * @param runDir where a new run goes (or the run to continue with {@code resumeIfExists}); null:
   *     a directory named after the run
   * @param resume the run to continue; null for none
   * @param resumeIfExists continue the run in {@code runDir} if it has a checkpoint, else start it
   * @param hasCheckpoint whether a directory holds a run's checkpoint
   * @param fresh the configuration of a new run
   * @param asked the configuration asked for, given the saved run's
   * @param defaultDir a new run's directory when {@code runDir} is null
   */
  public static RunPlan plan(Path runDir, Path resume, boolean resumeIfExists,
      Predicate<Path> hasCheckpoint, Supplier<RunConfig> fresh, UnaryOperator<RunConfig> asked,
      Function<RunConfig, Path> defaultDir) {
    if (resumeIfExists && (runDir == null || resume != null)) {
      throw new RunRefused("--resume-if-exists needs --run-dir (and no --resume)");
    }
    if (resume != null && runDir != null) {
      throw new RunRefused("--run-dir with --resume: a resumed run stays in its directory, "
          + resume);
    }
    if (resumeIfExists && hasCheckpoint.test(runDir)) {
      resume = runDir;
    }
    if (resume != null) {
      if (!hasCheckpoint.test(resume)) {
        throw new RunRefused(resume + " holds no checkpoint to resume");
      }
      return new RunPlan.Continue(resume, asked);
    }
    RunConfig config = fresh.get();
    Path dir = runDir != null ? runDir : defaultDir.apply(config);
    if (hasCheckpoint.test(dir)) {
      throw alreadyHoldsARun(dir);
    }
    return new RunPlan.Start(dir, config);
  }

  /** A new run refused: {@code dir} already holds one. */
  static RunRefused alreadyHoldsARun(Path dir) {
    return new RunRefused(dir + " already holds a run: use --resume " + dir + " or another --run-dir");
  }

  /**
   * The saved run continued as {@code asked}: it may raise the budget (keeping its kind, a total or
   * frames per game) and change where the games run and how often it reports. Anything else that
   * differs is refused, so a resume never silently trains something else than it was asked to.
   *
   * @param framesDone the frames the run has trained
   */
  public static RunConfig resumed(RunConfig saved, RunConfig asked, long framesDone) {
    List<String> conflicts = new ArrayList<>();
    SHAPE.forEach((option, value) -> differs(conflicts, option, value.apply(saved), value.apply(asked)));
    for (Setting<?> s : Settings.ALL) {
      if (!s.resumable()) {
        differs(conflicts, s.option(), s.inRun().apply(saved), s.inRun().apply(asked));
      }
    }
    if (!conflicts.isEmpty()) {
      throw new RunRefused("a resume continues the run as it was configured; these"
          + " settings differ from the run's: " + String.join(", ", conflicts));
    }
    A3CConfig.Budget was = saved.a3c().budget();
    A3CConfig.Budget now = asked.a3c().budget();
    if (was.framesPerGame() == 0 && now.framesPerGame() > 0) {
      throw new RunRefused("this run's budget is a total (" + was.frames()
          + " frames): resume it with --frames");
    }
    if (was.framesPerGame() > 0 && now.framesPerGame() == 0) {
      throw new RunRefused("this run's budget is " + was.framesPerGame()
          + " frames per game: resume it with --frames-per-game");
    }
    A3CConfig.Budget budget = was;
    if (was.framesPerGame() == 0 && now.frames() != was.frames()) {
      if (now.frames() <= framesDone) {
        throw new RunRefused("--frames " + now.frames() + " is not above the "
            + framesDone + " frames the run has already trained");
      }
      budget = now;
    }
    if (was.framesPerGame() > 0 && now.framesPerGame() != was.framesPerGame()) {
      if (now.framesPerGame() < was.framesPerGame()) {
        throw new RunRefused("--frames-per-game " + now.framesPerGame()
            + " is below the run's " + was.framesPerGame());
      }
      budget = new A3CConfig.Budget(now.framesPerGame() * saved.games().size(), now.framesPerGame());
    }
    return saved.resumedWith(budget, asked.env().endpoints(), asked.env().romDir(),
        asked.env().security(), asked.reporting());
  }

  private static void differs(List<String> conflicts, String option, Object saved, Object asked) {
    if (!Objects.equals(saved, asked)) {
      conflicts.add(option + " " + asked + " (run: " + saved + ")");
    }
  }
}
