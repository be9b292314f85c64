package ma3c.learner.experiment;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import ma3c.learner.algo.Freeze;
import ma3c.learner.run.RunDirectory;
import ma3c.learner.train.TrainOptions;
import ma3c.model.Architecture;

/**
 * One training run of an experiment: an arm with one seed on its games (an A3C arm has one run
 * per game). Its id names its run directory and says everything that defines it, so the same
 * run in two figures (A3C on Pong in Figures 4 and 5) is one directory, trained once.
 *
 * @param sourceId a transfer run's source: the id of the run it starts from; null otherwise
 * @param teacherIds a distillation run's teachers: the ids of the runs whose exports teach it
 */
public record ArmRun(Manifest.Arm arm, List<String> games, long seed, String id, String sourceId,
    List<String> teacherIds) {

  /** Every run of the experiment, seed by seed, in the manifest's arm order (sources first). */
  public static List<ArmRun> plan(Manifest m) {
    List<ArmRun> runs = new ArrayList<>();
    for (long seed : m.seeds()) {
      Map<String, List<ArmRun>> byArm = new HashMap<>();
      for (Manifest.Arm arm : m.arms()) {
        ArmRun source = arm.initFrom() == null ? null : byArm.get(arm.initFrom()).get(0);
        List<String> teachers = arm.teachersFrom() == null ? null
            : byArm.get(arm.teachersFrom()).stream().map(ArmRun::id).toList();
        List<String> games = arm.gamesOr(m.games());
        List<ArmRun> armRuns = new ArrayList<>();
        if (Architecture.of(arm.arch()) == Architecture.A3C) {
          for (String game : games) {
            armRuns.add(of(m, arm, List.of(game), seed, source, teachers));
          }
        } else {
          armRuns.add(of(m, arm, games, seed, source, teachers));
        }
        runs.addAll(armRuns);
        byArm.put(arm.name(), armRuns);
      }
    }
    return runs;
  }

  private static ArmRun of(Manifest m, Manifest.Arm arm, List<String> games, long seed,
      ArmRun source, List<String> teachers) {
    String id = Architecture.of(arm.arch()).id() + "-" + String.join("+", games) + "-"
        + (m.lstm() ? "lstm" : "ff") + "-t" + m.threadsPerGame() + "-f" + frames(m.framesPerGame())
        + "-s" + seed;
    List<String> options = new ArrayList<>(m.trainOptions());
    options.addAll(arm.trainOptions());
    if (!options.isEmpty()) {
      // Other options, another run: a short digest of them keeps the id readable.
      id += "-o" + digest(String.join(" ", options));
    }
    if (source != null) {
      // Which run it starts from and what it freezes define it too.
      id += "-from" + digest(source.id()) + "-freeze-" + arm.freezeId();
    }
    if (teachers != null) {
      id += "-distill" + digest(String.join(",", teachers));
    }
    return new ArmRun(arm, games, seed, id, source == null ? null : source.id(), teachers);
  }

  private static String digest(String text) {
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().toHexDigits((int) crc.getValue());
  }

  /** 12000000 -> "12M", 2500000 -> "2.5M", 20000 -> "20k". */
  static String frames(long n) {
    if (n % 1_000_000 == 0) {
      return n / 1_000_000 + "M";
    }
    if (n >= 1_000_000) {
      return String.format(Locale.ROOT, "%sM", Double.toString(n / 1e6));
    }
    return n % 1000 == 0 ? n / 1000 + "k" : Long.toString(n);
  }

  /**
   * What this run trains: its shape from the manifest, its settings from the manifest's and the
   * arm's train options. Refused (a ParameterException) where those are not valid train options.
   *
   * @param runDir this run's directory; its source's and its teachers' are beside it
   */
  public TrainOptions options(Manifest m, Path runDir, List<String> env, Path romDir) {
    return TrainOptions.of(shape(m, runDir, env, romDir), settings(m));
  }

  /** The run's games and threads, net, budget, seed, and where it starts from or learns from. */
  TrainOptions.RunShape shape(Manifest m, Path runDir, List<String> env, Path romDir) {
    LinkedHashMap<String, Integer> threads = new LinkedHashMap<>();
    games.forEach(g -> threads.put(g, m.threadsPerGame()));
    return new TrainOptions.RunShape(threads, Architecture.of(arm.arch()), m.lstm(),
        m.framesPerGame(), seed, sourceId == null ? null : runDir.resolveSibling(sourceId),
        Freeze.of(arm.freezeId()), teacherIds == null ? List.of() : teacherIds.stream()
            .map(t -> runDir.resolveSibling(t).resolve(RunDirectory.EXPORT).toString()).toList(),
        env, romDir);
  }

  /** The manifest's train options, then the arm's. */
  List<String> settings(Manifest m) {
    List<String> settings = new ArrayList<>(m.trainOptions());
    settings.addAll(arm.trainOptions());
    return settings;
  }

  /** Frames this run trains in all: its games times the budget per game. */
  public long frameBudget(Manifest m) {
    return m.framesPerGame() * games.size();
  }
}
