package ma3c.learner.evaluate;

import com.google.gson.annotations.SerializedName;
import java.nio.file.Path;
import java.util.List;
import ma3c.cli.security.ClientSecurity;
import ma3c.env.embed.EnvDefaults;
import ma3c.learner.run.RunConfig;

/**
 * Everything an evaluation needs, without a command line: `ma3c evaluate` builds one from its
 * options, `experiment` from a manifest. The checks here are the command's usage errors, so their
 * messages name the command's options.
 *
 * @param games the games to evaluate; empty: every game of the source
 * @param threads episodes played at once, each on an env session of its own
 */
public record EvaluationSettings(Source source, List<String> games, Protocol protocol, int threads,
    EnvService env) {

  public EvaluationSettings {
    games = List.copyOf(games);
    check(threads >= 1 && threads <= RunConfig.MAX_THREADS,
        "--threads must be in 1.." + RunConfig.MAX_THREADS + ", got " + threads);
  }

  /** Where the policy comes from. */
  public sealed interface Source permits Run, Model {}

  /** A run directory: its checkpoint's policy for each game it trained. */
  public record Run(Path dir) implements Source {}

  /** An exported policy ({@code ma3c export}): one game, named by the model's metadata. */
  public record Model(Path file) implements Source {}

  /**
   * How episodes are played: the protocol Atari scores are compared by (Mnih et al. 2016, Machado
   * et al. 2018). Always whole games (a life loss ends nothing) and the frame skip the policy was
   * trained with.
   *
   * @param episodes episodes per game
   * @param noopMax each episode starts with a uniformly random number of no-ops in [0, noopMax]
   * @param maxFrames emulator frames after which an episode is cut; it counts with its score
   * @param sticky the probability that the emulator repeats the previous action (0: the A3C
   *     paper's deterministic ALE; 0.25: Machado et al.'s)
   * @param seed every episode's env seed and action draws derive from it and its index
   */
  public record Protocol(int episodes, int noopMax, int maxFrames, float sticky, Policy policy,
      long seed) {
    public static final int DEFAULT_EPISODES = 30;
    public static final long DEFAULT_SEED = 1;

    public Protocol {
      check(episodes >= 1, "--episodes must be at least 1, got " + episodes);
      check(noopMax >= 0 && noopMax <= EnvDefaults.MAX_NOOP,
          "--noop-max must be in 0.." + EnvDefaults.MAX_NOOP + ", got " + noopMax);
      // No "no cap" (the env's 0): a policy that never serves (Breakout without FIRE) would play forever.
      check(maxFrames >= 1, "--max-frames must be at least 1, got " + maxFrames);
      check(sticky >= 0 && sticky <= 1, "--sticky must be in [0, 1], got " + sticky);
    }

    /** 30 episodes, up to 30 no-ops, the 108,000-frame cap, no sticky actions, sampled actions, seed 1. */
    public static Protocol defaults() {
      return new Protocol(DEFAULT_EPISODES, RunConfig.DEFAULT_NOOP_MAX,
          EnvDefaults.DEFAULT_MAX_EPISODE_FRAMES, RunConfig.DEFAULT_STICKY_ACTIONS, Policy.SAMPLED,
          DEFAULT_SEED);
    }
  }

  /** How an action is chosen from the policy's probabilities. */
  public enum Policy {
    /** Drawn from them: A3C's stochastic policy, the one it is trained and reported with. */
    @SerializedName("sampled") SAMPLED,
    /** The most probable action. */
    @SerializedName("greedy") GREEDY;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Policy of(String id) {
      for (Policy p : values()) {
        if (p.id().equalsIgnoreCase(id)) {
          return p;
        }
      }
      throw new IllegalArgumentException("--policy must be sampled or greedy, got '" + id + "'");
    }
  }

  /**
   * Where the games run.
   *
   * @param endpoints host:port of env services; empty: one embedded in this process
   * @param romDir the embedded service's ROMs
   * @param security TLS and token for the endpoints
   */
  public record EnvService(List<String> endpoints, Path romDir, ClientSecurity security) {
    public EnvService {
      endpoints = List.copyOf(endpoints);
    }

    /** An env service embedded in this process, with ROMs from {@code romDir}. */
    public static EnvService embedded(Path romDir) {
      return new EnvService(List.of(), romDir, ClientSecurity.NONE);
    }

    public boolean isEmbedded() {
      return endpoints.isEmpty();
    }
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
