package ma3c.learner.evaluate;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import ma3c.cli.RomDirOption;
import ma3c.cli.OptionChecks;
import ma3c.cli.ProjectVersion;
import ma3c.cli.security.ClientSecurity;
import ma3c.cli.security.ClientSecurityOptions;
import ma3c.env.embed.EnvDefaults;
import ma3c.env.embed.LocalGames;
import ma3c.learner.run.RunConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `ma3c evaluate`: its options in, one {@link EvaluationSettings} out to {@link Evaluation#run}. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
    description = "Evaluate a run's policies or an exported model the way Atari results are"
        + " compared: N whole games from random no-op starts, up to the 108,000-frame cap; prints"
        + " each game's mean return with its 95%% confidence interval and writes them as JSON.")
public final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1") Source source;

  /** What to evaluate: exactly one of the two. */
  static final class Source {
    @Option(names = "--run", required = true,
        description = "A run directory: its checkpoint's policy for each game it trained.") Path run;
    @Option(names = "--model", required = true,
        description = "An exported <game>.onnx (ma3c export); the game is in its metadata.") Path model;
  }

  @Option(names = "--game", split = ",", description = "Only these games of the run (default: all).")
  List<String> games = List.of();
  @Option(names = "--episodes", defaultValue = "" + EvaluationSettings.Protocol.DEFAULT_EPISODES,
      description = "Episodes per game; default ${DEFAULT-VALUE}.") int episodes;
  @Option(names = "--noop-max", defaultValue = "" + RunConfig.DEFAULT_NOOP_MAX,
      description = "Random no-op starts, 0 to this many; default ${DEFAULT-VALUE}.") int noopMax;
  @Option(names = "--max-frames", defaultValue = "" + EnvDefaults.DEFAULT_MAX_EPISODE_FRAMES,
      description = "Emulator frames after which an episode is cut (it counts, flagged as"
          + " truncated); default ${DEFAULT-VALUE} (30 minutes of play).") int maxFrames;
  @Option(names = "--sticky", defaultValue = "" + RunConfig.DEFAULT_STICKY_ACTIONS,
      description = "Sticky-action probability: 0 (the A3C paper's, default) or 0.25 (Machado et al.'s).")
  float sticky;
  @Option(names = "--policy", defaultValue = "sampled",
      description = "sampled (A3C's stochastic policy, default) or greedy (the most probable action).")
  String policy;
  @Option(names = "--seed", defaultValue = "" + EvaluationSettings.Protocol.DEFAULT_SEED,
      description = "Seeds every episode's env and action draws; default ${DEFAULT-VALUE}.") long seed;
  @Option(names = "--threads", description = "Episodes played at once, each on an env session of"
      + " its own (default: the available cores).") Integer threads;
  @Option(names = "--json", description = "Write the evaluation here (default: <run>/"
      + Evaluation.FILE + " for a run, none for a model).") Path json;
  @Option(names = "--env", split = ",",
      description = "Env service endpoints host:port[,host:port...]; none: embedded in-process.")
  List<String> env = List.of();
  @Mixin
  RomDirOption roms;
  /** TLS and token for --env. */
  @Mixin ClientSecurityOptions envSecurity;

  @Override
  public Integer call() throws Exception {
    EvaluationSettings settings = settings();
    Path out = json != null ? json : source.run != null ? source.run.resolve(Evaluation.FILE) : null;
    if (out != null) {
      if (Files.isDirectory(out)) {
        throw OptionChecks.usage(spec, "--json " + out + ": a directory; name the file, e.g. "
            + out.resolve(Evaluation.FILE));
      }
      OptionChecks.directoryToWrite(spec, "--json's directory", out.toAbsolutePath().getParent());
    }
    EvaluationResult result;
    try {
      result = Evaluation.run(settings);
    } catch (IllegalArgumentException e) {
      throw OptionChecks.usage(spec, e.getMessage());
    }
    PrintWriter printed = spec.commandLine().getOut();
    for (Map.Entry<String, Summary> game : result.summaries().entrySet()) {
      printed.println(line(game.getKey(), game.getValue()));
    }
    if (out != null) {
      result.writeJson(out);
      printed.println("wrote " + out.toAbsolutePath());
    }
    printed.flush();
    return 0;
  }

  /** The options as settings; a bad value is a usage error naming its option. */
  private EvaluationSettings settings() {
    if (envSecurity.given() && env.isEmpty()) {
      throw OptionChecks.usage(spec,
          "--tls-ca and --token-file are for --env endpoints; the embedded env service needs neither");
    }
    List<String> endpoints = env.stream()
        .map(e -> OptionChecks.hostPort(spec, "--env", e).toString()).toList();
    if (roms.given() != null) {
      OptionChecks.directory(spec, "--rom-dir", roms.given());
    }
    ClientSecurity security = envSecurity.given() ? envSecurity.security() : ClientSecurity.NONE;
    try {
      return new EvaluationSettings(
          source.run != null ? new EvaluationSettings.Run(source.run)
              : new EvaluationSettings.Model(source.model),
          games,
          new EvaluationSettings.Protocol(episodes, noopMax, maxFrames, sticky,
              EvaluationSettings.Policy.of(policy), seed),
          threads != null ? threads : Runtime.getRuntime().availableProcessors(),
          new EvaluationSettings.EnvService(endpoints, LocalGames.romDir(roms.given()), security));
    } catch (IllegalArgumentException e) {
      throw OptionChecks.usage(spec, e.getMessage());
    }
  }

  /** e.g. "pong: mean 18.43, 95% CI [17.61, 19.25], min 12, max 21, 30 episodes, 0 truncated". */
  static String line(String game, Summary s) {
    String interval = Double.isNaN(s.ciLow()) ? "no CI from one episode"
        : String.format(Locale.ROOT, "95%% CI [%.2f, %.2f]", s.ciLow(), s.ciHigh());
    return String.format(Locale.ROOT, "%s: mean %.2f, %s, min %s, max %s, %d episodes, %d truncated",
        game, s.mean(), interval, Evaluation.score(s.min()), Evaluation.score(s.max()), s.episodes(),
        s.truncated());
  }
}
