package ma3c.learner.algo;

import static ma3c.learner.algo.ScriptedEnvService.GAME;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EpisodeState;
import ma3c.learner.algo.ScriptedEnvService.Step;
import ma3c.learner.allocation.ThreadAllocation;
import ma3c.learner.env.ResilientEnv;
import ma3c.learner.monitor.LossMeter;
import ma3c.learner.monitor.PhaseTimes;
import ma3c.learner.monitor.ThreadMonitor;
import ma3c.learner.monitor.TrunkProbe;
import ma3c.learner.run.EpisodeStats;
import ma3c.learner.run.JsonLines;
import ma3c.model.A3CNet;
import ma3c.model.Architecture;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The glue of one actor-learner thread (Algorithm 1): what it bootstraps a rollout's return
 * from, the rewards it learns from, the LSTM state each rollout starts in, and the update it
 * applies. The thread plays scripted episodes against an in-process env service; every rollout
 * it learned from is recomputed step by step ({@link ReplayedRollouts}) and compared with what it
 * reported and applied. Most cases train at learning rate 0, so that every rollout sees the same
 * parameters and can be recomputed alone.
 */
class ActorLearnerTest {
  /** V(s) of every state is about this: a bootstrap from V differs clearly from one from 0. */
  private static final float VALUE_BIAS = 2;
  private static final double RELATIVE_TOLERANCE = 1e-5;

  @TempDir
  Path dir;
  private Server server;
  private ManagedChannel channel;

  /** What a learner thread did with a script. */
  private record Run(ParameterLayout layout, float[] initialTheta, A3CConfig config,
      SharedModel model, A3CNet local, LossMeter.Means losses, List<List<Integer>> actions) {}

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.shutdownNow();
    }
  }

  private static Step step(float reward) {
    return new Step(reward, EpisodeState.RUNNING);
  }

  /**
   * Runs one actor-learner thread on this thread until it has played every step of
   * {@code script} (the game's frame budget), at {@code learningRate} annealed over twice that.
   */
  private Run train(List<List<Step>> script, boolean lstm, int tMax, double learningRate)
      throws Exception {
    int steps = script.stream().mapToInt(List::size).sum();
    A3CConfig config = new A3CConfig(new A3CConfig.Rollout(tMax, 0.99, 1),
        new A3CConfig.Loss(0.01, 0.5, 40), new A3CConfig.RmsProp(learningRate, 0.99, 1e-5, 1),
        new A3CConfig.Budget(2L * steps, steps));
    ParameterLayout layout = new ParameterLayout(
        new NetSpec(Architecture.A3C, lstm, Map.of(GAME, ScriptedEnvService.ACTIONS)));
    float[] theta = layout.initialParameters(5);
    theta[layout.view(GAME).stream().filter(b -> b.localName().equals("v_b")).findFirst()
        .orElseThrow().offset()] = VALUE_BIAS;
    SharedModel model = SharedModel.startingFrom(layout, theta.clone(), 1, Freeze.NONE);

    ScriptedEnvService service = new ScriptedEnvService(script);
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(service).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
    TrainingCounters counters = new TrainingCounters(0, 0);
    LossMeter losses = new LossMeter(model.blockNames());
    A3CNet local = new A3CNet(layout, GAME, tMax);
    try (JsonLines log = new JsonLines(dir.resolve("episodes.jsonl"));
        ResilientEnv env = new ResilientEnv(channel, GAME, EnvConfig.newBuilder().setSeed(1).build(),
            "actor-0/" + GAME, counters::stopped)) {
      GamePlayer player = new GamePlayer(env, 0, layout.spec().frames(), counters,
          new EpisodeStats(List.of(GAME), log, 0)::record);
      new ActorLearner(new ActorLearner.Shared(config, model, counters), player, local,
          new SplittableRandom(11), new A3CObjective(config, player, local),
          ThreadAllocation.equal(Map.of(GAME, 1)).turns(GAME, 0),
          new ThreadMonitor(new PhaseTimes(), new TrunkProbe(List.of(GAME)), losses)).run();
    }
    assertEquals(steps, counters.frames(GAME), "the thread played the whole script");
    return new Run(layout, theta, config, model, local, losses.drain().get(GAME),
        service.actions());
  }

  private static ReplayedRollouts replay(Run run, List<List<Step>> script) {
    return new ReplayedRollouts(run.layout(), run.initialTheta(), run.config(), script,
        run.actions());
  }

  /** The loss terms and gradient norms the thread reported are those of the replayed rollouts. */
  private static void assertLearnedFrom(ReplayedRollouts expected, Run run) {
    assertEquals(expected.rollouts().size(), run.losses().updates(), "updates");
    assertClose(expected.meanValueLoss(), run.losses().valueLoss(), "value loss per step");
    assertClose(expected.meanPolicyLoss(), run.losses().policyLoss(), "policy loss per step");
    assertClose(expected.meanGradientNorm(), run.losses().gradNorm(), "gradient norm");
  }

  private static void assertClose(double expected, double actual, String what) {
    assertEquals(expected, actual, RELATIVE_TOLERANCE * Math.max(1e-3, Math.abs(expected)), what);
  }

  @Test
  void aTerminalStepEndsTheReturnAtZero() throws Exception {
    List<List<Step>> script = List.of(List.of(step(0), step(0),
        new Step(1, EpisodeState.TERMINATED)));
    Run run = train(script, false, 5, 0);
    assertLearnedFrom(replay(run, script), run);
  }

  /**
   * A time limit is not the end of the game: the return after a truncated episode's last step is
   * V(s_t), as after any other cut rollout (Pardo et al. 2018, "Time Limits in RL").
   */
  @Test
  void aTruncatedEpisodeBootstrapsFromTheValueOfItsLastState() throws Exception {
    List<List<Step>> script = List.of(List.of(step(0), step(0),
        new Step(1, EpisodeState.TRUNCATED)));
    Run run = train(script, false, 5, 0);
    ReplayedRollouts expected = replay(run, script);
    assertTrue(expected.rollouts().get(0).bootstrap() > 1,
        "V(s_t) " + expected.rollouts().get(0).bootstrap() + " is far from 0");
    assertLearnedFrom(expected, run);
  }

  /** Two rollouts of one episode: each bootstraps from V(s_t), the frames stack on across them. */
  @Test
  void aRolloutCutAtTMaxBootstrapsFromTheNextStateAndTheEpisodeGoesOn() throws Exception {
    List<List<Step>> script = List.of(ScriptedEnvService.episode(10, EpisodeState.RUNNING));
    Run run = train(script, false, 5, 0);
    assertLearnedFrom(replay(run, script), run);
  }

  @Test
  void rewardsAreClippedBeforeTheyEnterTheReturn() throws Exception {
    List<List<Step>> script = List.of(List.of(step(5), step(-3),
        new Step(0.5f, EpisodeState.TERMINATED)));
    Run run = train(script, false, 5, 0);
    assertLearnedFrom(replay(run, script), run);
  }

  /** t_max 3, one episode of 6 steps: the second rollout starts where the first left the LSTM. */
  @Test
  void theLstmStateCarriesFromRolloutToRolloutWithinAnEpisode() throws Exception {
    List<List<Step>> script = List.of(ScriptedEnvService.episode(6, EpisodeState.RUNNING));
    Run run = train(script, true, 3, 0);
    ReplayedRollouts expected = replay(run, script);
    assertLearnedFrom(expected, run);
    assertLstmState(expected, run.local());
  }

  /** Episodes that end terminated and truncated, then one more: each starts from a zero state. */
  @Test
  void everyEpisodeStartsFromAZeroLstmState() throws Exception {
    List<List<Step>> script = List.of(ScriptedEnvService.episode(2, EpisodeState.TERMINATED),
        ScriptedEnvService.episode(2, EpisodeState.TRUNCATED),
        ScriptedEnvService.episode(3, EpisodeState.RUNNING));
    Run run = train(script, true, 3, 0);
    ReplayedRollouts expected = replay(run, script);
    assertLearnedFrom(expected, run);
    assertLstmState(expected, run.local());
  }

  private static void assertLstmState(ReplayedRollouts expected, A3CNet local) {
    float[] h = new float[NetSpec.HIDDEN];
    float[] c = new float[NetSpec.HIDDEN];
    local.state(h, c);
    assertArrayEquals(expected.h(), h, 1e-6f, "LSTM h after the last rollout");
    assertArrayEquals(expected.c(), c, 1e-6f, "LSTM c after the last rollout");
  }

  /**
   * The update the thread applies is its rollout's gradient as the engine's reference path
   * computes it (acting step by step, V(s_t) for the bootstrap, then back-propagating must give
   * the same gradient as the replay), at the learning rate annealed to the frames played.
   */
  @Test
  void theUpdateAppliesTheReplayedGradientAtTheAnnealedLearningRate() throws Exception {
    List<List<Step>> script = List.of(List.of(step(1), step(0), step(-1), step(0)));
    Run run = train(script, true, 4, 1e-2);
    ReplayedRollouts.Rollout rollout = replay(run, script).rollouts().get(0);
    SharedModel expected = SharedModel.startingFrom(run.layout(), run.initialTheta().clone(), 1,
        Freeze.NONE);
    expected.update(GAME, rollout.gradient(), run.config(), 4);
    float[] actual = run.model().thetaSnapshot();
    float[] wanted = expected.thetaSnapshot();
    double moved = 0;
    for (int i = 0; i < wanted.length; i++) {
      moved = Math.max(moved, Math.abs(wanted[i] - run.initialTheta()[i]));
    }
    assertTrue(moved > 1e-3, "the update moved the parameters (" + moved + ")");
    assertArrayEquals(wanted, actual, (float) (1e-4 * moved), "parameters after the update");
  }
}
