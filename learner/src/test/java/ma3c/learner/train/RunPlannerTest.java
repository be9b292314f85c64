package ma3c.learner.train;

import ma3c.model.Architecture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.run.RunConfig;
import org.junit.jupiter.api.Test;

/** The planner's decisions, without a file: start, continue, or refuse, and why. */
class RunPlannerTest {
  private static RunConfig run(double lr, A3CConfig.Budget budget, String romDir) {
    LinkedHashMap<String, Integer> threads = new LinkedHashMap<>();
    threads.put("catch", 2);
    A3CConfig a3c = A3CConfig.defaults(false, budget.frames()).withBudget(budget);
    a3c = new A3CConfig(a3c.rollout(), a3c.loss(), new A3CConfig.RmsProp(lr, a3c.rmsProp().alpha(),
        a3c.rmsProp().epsilon(), a3c.rmsProp().init()), budget);
    return new RunConfig(new RunConfig.Net(Architecture.A3C, false), threads, a3c,
        new RunConfig.Env(List.of(), romDir, 0, 30, false), 1, new RunConfig.Reporting(300, 10),
        null, null, null);
  }

  private static final A3CConfig.Budget TOTAL = new A3CConfig.Budget(1000, 0);
  private static final RunConfig SAVED = run(3e-4, TOTAL, "roms");

  private static RunPlan plan(Path runDir, Path resume, boolean ifExists, Set<Path> withCheckpoint) {
    return RunPlanner.plan(runDir, resume, ifExists, withCheckpoint::contains, () -> SAVED,
        saved -> saved, c -> Path.of("runs", "named"));
  }

  @Test
  void startsContinuesOrRefuses() {
    Path dir = Path.of("r");
    assertEquals(new RunPlan.Start(dir, SAVED), plan(dir, null, false, Set.of()));
    assertEquals(Path.of("runs", "named"), plan(null, null, false, Set.of()).dir(), "named after the run");
    assertInstanceOf(RunPlan.Continue.class, plan(dir, null, true, Set.of(dir)));
    assertInstanceOf(RunPlan.Start.class, plan(dir, null, true, Set.of()), "nothing there yet: starts");
    assertInstanceOf(RunPlan.Continue.class, plan(null, dir, false, Set.of(dir)));
    assertTrue(assertThrows(RunRefused.class, () -> plan(dir, null, false, Set.of(dir)))
        .getMessage().contains("already holds a run"));
    assertTrue(assertThrows(RunRefused.class, () -> plan(null, dir, false, Set.of()))
        .getMessage().contains("holds no checkpoint"));
    assertThrows(RunRefused.class, () -> plan(dir, dir, false, Set.of(dir)));
    assertThrows(RunRefused.class, () -> plan(null, null, true, Set.of()));
  }

  @Test
  void aResumeMayRaiseTheBudgetAndMoveTheGames() {
    RunConfig resumed = RunPlanner.resumed(SAVED, run(3e-4, new A3CConfig.Budget(2000, 0), "elsewhere"), 900);
    assertEquals(2000, resumed.a3c().budget().frames());
    assertEquals("elsewhere", resumed.env().romDir());
    assertEquals(SAVED.a3c().rmsProp(), resumed.a3c().rmsProp());
  }

  @Test
  void aResumeRefusesAnotherRun() {
    String lr = assertThrows(RunRefused.class,
        () -> RunPlanner.resumed(SAVED, run(1e-3, TOTAL, "roms"), 10)).getMessage();
    assertTrue(lr.contains("--lr 0.001 (run: 3.0E-4)"), lr);
    String below = assertThrows(RunRefused.class,
        () -> RunPlanner.resumed(SAVED, run(3e-4, new A3CConfig.Budget(800, 0), "roms"), 900)).getMessage();
    assertTrue(below.contains("not above the 900 frames"), below);
    String kind = assertThrows(RunRefused.class,
        () -> RunPlanner.resumed(SAVED, run(3e-4, new A3CConfig.Budget(2000, 1000), "roms"), 10)).getMessage();
    assertTrue(kind.contains("resume it with --frames"), kind);
  }
}
