package ma3c.learner.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import ma3c.env.embed.LocalGames;
import ma3c.learner.run.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Evaluation through its Java entry point, on the built-in catch game. */
@Timeout(300)
class EvaluationTest {
  @TempDir Path dir;

  private static EvaluationSettings settings(Path run, int episodes,
      EvaluationSettings.Policy policy, int threads) {
    EvaluationSettings.Protocol defaults = EvaluationSettings.Protocol.defaults();
    return new EvaluationSettings(new EvaluationSettings.Run(run), List.of(),
        new EvaluationSettings.Protocol(episodes, defaults.noopMax(), defaults.maxFrames(),
            defaults.sticky(), policy, defaults.seed()),
        threads, EvaluationSettings.EnvService.embedded(run.resolve("no-roms")));
  }

  /**
   * Catch learns, and the evaluation tells it from chance: after 100k frames of training the
   * policy's mean return is clearly above a uniformly random policy's under the same protocol (100
   * episodes each), their 95% intervals apart. Random play catches about 1 ball in 4 (-0.5). After
   * 60k frames, 16 trainings scored 0.58 to 1.0 (median 0.9) and two more in full suite runs 0.24
   * and 0.30, below this test's margin; after 100k, 12 scored 0.88 to 1.0 (2026-12-06), and 30 more
   * 0.88 to 1.0 over their last 100 training episodes, each past 0.3 there by 62k frames
   * (2026-12-07).
   */
  @Test
  void aTrainedCatchPolicyBeatsAUniformlyRandomOne() throws Exception {
    Checkpoint trained = CatchRuns.trained(dir.resolve("trained"), 100_000);
    CatchRuns.uniform(dir.resolve("uniform"), false);

    EvaluationResult learned = Evaluation.run(settings(dir.resolve("trained"), 100,
        EvaluationSettings.Policy.SAMPLED, 2));
    EvaluationResult chance = Evaluation.run(settings(dir.resolve("uniform"), 100,
        EvaluationSettings.Policy.SAMPLED, 2));

    Summary a = learned.summaries().get(LocalGames.CATCH);
    Summary r = chance.summaries().get(LocalGames.CATCH);
    assertTrue(r.mean() < -0.2 && r.mean() > -0.8, "uniform policy: " + r);
    assertTrue(a.mean() > r.mean() + 0.8, "trained " + a + " vs uniform " + r);
    assertTrue(a.ciLow() > r.ciHigh(), "the intervals overlap: trained " + a + " vs uniform " + r);
    assertEquals(trained.meta().frames(), learned.origin().framesTrained());
  }

  /**
   * Every episode has its own seeds, drawn before any is played: one thread or four play the
   * same episodes. For a recurrent net this also shows that its state starts afresh with each
   * episode (a thread playing many in a row would otherwise act differently from four threads).
   */
  @Test
  void theEpisodesAreTheSameWithAnyNumberOfThreadsAndAnLstmStartsEachAfresh() throws Exception {
    Path run = dir.resolve("lstm");
    Checkpoint zero = CatchRuns.uniform(run, true);
    // An untrained net rather than zeros, under which every state would act the same: its
    // probabilities are close to each other, so a state carried over would change actions.
    new Checkpoint(zero.meta(), zero.meta().layout().initialParameters(7), zero.meanSquare())
        .save(run.resolve(Checkpoint.FILE));
    for (EvaluationSettings.Policy policy : EvaluationSettings.Policy.values()) {
      EvaluationResult one = Evaluation.run(settings(run, 12, policy, 1));
      EvaluationResult four = Evaluation.run(settings(run, 12, policy, 4));
      assertEquals(one.games(), four.games(), policy.id());
    }
  }
}
