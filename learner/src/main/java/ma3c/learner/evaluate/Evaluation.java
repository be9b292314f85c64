package ma3c.learner.evaluate;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import ma3c.cli.CommandFailedException;
import ma3c.env.client.EnvSession;
import ma3c.env.contract.EnvException;
import ma3c.env.embed.LocalGames;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EnvSpec;
import ma3c.learner.env.EnvEndpoints;
import ma3c.learner.play.EpisodePlayer;
import ma3c.learner.play.ModelFit;
import ma3c.model.onnx.OnnxPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluation at the budget, the protocol Atari results are compared by: a trained policy plays N
 * whole games of each of its games from random no-op starts, up to the frame cap, and each game's
 * returns are summarised with a confidence interval of their mean. What `ma3c evaluate` runs, and
 * what another command calls directly with {@link #run}.
 */
public final class Evaluation {
  /** Where `ma3c evaluate` writes a run's evaluation, in its directory. */
  public static final String FILE = "evaluation.json";
  private static final Logger log = LoggerFactory.getLogger("evaluate");

  private Evaluation() {}

  /**
   * Evaluates the settings' policy on its games, logging each episode as it ends.
   *
   * @throws IllegalArgumentException what makes the settings unusable, in one line naming the
   *     option: a missing or corrupt run or model, a game the source has no policy for or the env
   *     service does not have, a model that does not fit its game
   * @throws CommandFailedException the env service or ONNX Runtime failed while playing
   */
  public static EvaluationResult run(EvaluationSettings settings)
      throws CommandFailedException, InterruptedException {
    EvaluationSettings.Protocol protocol = settings.protocol();
    try (Policies policies = Policies.load(settings.source(), settings.games());
        EnvEndpoints env = connect(settings, policies.byGame().size())) {
      String envName = settings.env().isEmbedded() ? "embedded env service"
          : "env service at " + String.join(",", settings.env().endpoints());
      Map<String, EnvConfig> configs = new LinkedHashMap<>();
      int frameSkip = 0;
      for (Map.Entry<String, OnnxPolicy> game : policies.byGame().entrySet()) {
        EnvConfig config = envConfig(game.getValue(), protocol);
        frameSkip = openedSpec(env, envName, settings.env(), game.getKey(), config, game.getValue())
            .getConfig().getFrameSkip();
        configs.put(game.getKey(), config);
      }
      log.info("evaluating {} ({} frames trained) on {}: {} episodes each, {} actions, up to {}"
          + " no-ops, sticky {}, cap {} frames, frame skip {}, {} at a time", policies.origin().file(),
          policies.origin().framesTrained(), String.join(", ", configs.keySet()), protocol.episodes(),
          protocol.policy().id(), protocol.noopMax(), protocol.sticky(), protocol.maxFrames(),
          frameSkip, settings.threads());
      List<EpisodeWorkers.Planned> plan = plan(configs.keySet(), protocol);
      List<EpisodePlayer.Result> results = new EpisodeWorkers(env, envName, policies.byGame(),
          configs, protocol.policy() == EvaluationSettings.Policy.GREEDY)
          .play(plan, settings.threads(), progress(protocol.episodes()));
      Map<String, EvaluationResult.GameEvaluation> games = new LinkedHashMap<>();
      for (String game : configs.keySet()) {
        List<EpisodePlayer.Result> own = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
          if (plan.get(i).game().equals(game)) {
            own.add(results.get(i));
          }
        }
        games.put(game, EvaluationResult.GameEvaluation.of(own));
      }
      return new EvaluationResult(protocol, frameSkip,
          settings.env().isEmbedded() ? LocalGames.aleVersion() : null,
          settings.env().isEmbedded() ? "embedded" : String.join(",", settings.env().endpoints()),
          settings.threads(), policies.origin(), games, Instant.now().toString());
    }
  }

  private static EnvEndpoints connect(EvaluationSettings settings, int games)
      throws CommandFailedException {
    EvaluationSettings.EnvService env = settings.env();
    try {
      return env.isEmbedded() ? EnvEndpoints.embedded(env.romDir(), settings.threads() * games)
          : EnvEndpoints.remote(env.endpoints(), env.security(), 1);
    } catch (IOException e) {
      throw new CommandFailedException("cannot reach the env service: " + e.getMessage(), e);
    }
  }

  /**
   * The env as the policy was trained (frame skip, observations, action set), played under the
   * protocol: its no-ops, sticky actions and cap, whole games whatever training did.
   */
  private static EnvConfig envConfig(OnnxPolicy policy, EvaluationSettings.Protocol protocol) {
    EnvConfig trained;
    try {
      trained = ModelFit.trainedConfig(policy.metadata());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(policy.fileName() + ": " + e.getMessage(), e);
    }
    return trained.toBuilder().setNoopMax(protocol.noopMax())
        .setRepeatActionProbability(protocol.sticky()).setMaxEpisodeFrames(protocol.maxFrames())
        .setTerminalOnLifeLoss(false).setSeed(protocol.seed()).build();
  }

  /**
   * Opens the game once before any episode, so that a game the env service does not have or a
   * policy that does not fit it is a usage error up front; returns the game as the env serves it.
   */
  private static EnvSpec openedSpec(EnvEndpoints env, String envName,
      EvaluationSettings.EnvService service, String game, EnvConfig config, OnnxPolicy policy)
      throws CommandFailedException {
    try (EnvSession session = EnvSession.open(env.forThread(0), game, config)) {
      ModelFit.requireFits(policy, session.spec());
      return session.spec();
    } catch (StatusRuntimeException e) {
      Status status = e.getStatus();
      if (status.getCode() == Status.Code.NOT_FOUND) {
        throw new IllegalArgumentException(status.getDescription() + (service.isEmbedded()
            ? "; ROMs here are read from " + service.romDir().toAbsolutePath() + " (--rom-dir, else $"
                + LocalGames.ROM_DIR_VARIABLE + ", else ./roms)" : " of " + envName), e);
      }
      throw new CommandFailedException(envName + ": " + status.getCode()
          + (status.getDescription() == null ? "" : ": " + status.getDescription()), e);
    } catch (EnvException e) {
      throw new CommandFailedException(envName + ": " + e.code() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Every episode's seeds, drawn in order from a generator of the seed and the game alone: the
   * same settings replay the same episodes, a game's episodes do not change with the other games
   * evaluated beside it, and the first N of a longer evaluation are those of N episodes.
   */
  private static List<EpisodeWorkers.Planned> plan(Iterable<String> games, EvaluationSettings.Protocol protocol) {
    List<EpisodeWorkers.Planned> plan = new ArrayList<>();
    for (String game : games) {
      SplittableRandom seeds = new SplittableRandom(
          protocol.seed() ^ new SplittableRandom(game.hashCode()).nextLong());
      for (int i = 0; i < protocol.episodes(); i++) {
        plan.add(new EpisodeWorkers.Planned(game, i, seeds.nextLong(), seeds.split()));
      }
    }
    return plan;
  }

  private static EpisodeWorkers.Progress progress(int episodes) {
    Map<String, AtomicInteger> done = new ConcurrentHashMap<>();
    return (episode, result) -> log.info("{} episode {} ({}/{} done): return {} in {} steps, {} frames{}",
        episode.game(), episode.index() + 1,
        done.computeIfAbsent(episode.game(), g -> new AtomicInteger()).incrementAndGet(), episodes,
        score(result.score()), result.steps(), result.frames(),
        result.truncated() ? ", cut by the frame cap" : "");
  }

  /** A return as games show it: whole numbers without ".0". */
  static String score(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
        : String.format(java.util.Locale.ROOT, "%.2f", value);
  }
}
