package ma3c.learner.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ma3c.cli.RomDirOption;
import ma3c.cli.OptionChecks;
import ma3c.cli.security.ClientSecurityOptions;
import ma3c.env.embed.LocalGames;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.algo.Freeze;
import ma3c.learner.distill.Teachers;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.RunConfig;
import ma3c.learner.transfer.WarmStart;
import ma3c.model.Architecture;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * What to train, as options: the run's shape (--games, --arch, --lstm, a transfer's source, a
 * student's teachers), where its games run, and every {@link Settings} value. Produces the
 * {@link RunPlan} of `train` and `distill`, and the run `bench` measures.
 */
public final class TrainOptions {
  private CommandSpec spec;
  /** The options set by {@link #of} rather than parsed: they count as given. */
  private final java.util.Set<String> set = new java.util.HashSet<>();

  @Option(names = "--games", defaultValue = "pong,breakout",
      description = "Games, split over --threads (pong,breakout) or weighted (pong:6,breakout:10). Default: ${DEFAULT-VALUE}.")
  String games;

  @Option(names = "--arch", defaultValue = "ma3c-2",
      description = "a3c (one game), ma3c-1 or ma3c-2. Default: ${DEFAULT-VALUE}.")
  String arch;

  @Option(names = "--lstm", description = "LSTM net (default: feed-forward over 4 stacked frames).")
  boolean lstm;

  @Option(names = "--env", split = ",",
      description = "Env service endpoints host:port[,host:port...]; none: embedded in-process.")
  List<String> env = List.of();

  @CommandLine.Mixin
  RomDirOption roms;

  /** TLS and token for --env endpoints. */
  @CommandLine.Mixin
  ClientSecurityOptions envSecurity;

  @Option(names = "--run-dir", description = "Run directory (default: runs/<arch>-<games>-<time>).")
  Path runDir;

  @Option(names = "--resume",
      description = "Continue the run in this directory from its checkpoint (with --frames: to a new budget).")
  Path resume;

  @Option(names = "--resume-if-exists",
      description = "With --run-dir: resume the run there if it has a checkpoint, else start it (for restarted containers).")
  boolean resumeIfExists;

  @Option(names = "--init-from",
      description = "Start from another run's parameters (its directory or checkpoint): the blocks"
          + " the games share, and those of games it also played; new games get fresh heads"
          + " (and, under ma3c-1, a fresh LSTM). Architecture and LSTM default to the source's.")
  Path initFrom;

  @Option(names = "--freeze", defaultValue = "none",
      description = "With --init-from: blocks never updated: none, conv (the conv layers) or trunk"
          + " (every block the games share). Default: ${DEFAULT-VALUE}.")
  String freeze;

  @Option(names = "--teachers", split = ",",
      description = "Policy distillation: learn from these per-game teachers (exported ONNX"
          + " policies, or directories holding <game>.onnx, e.g. runs/<run>/export) instead of"
          + " A3C's loss: KL to the teacher's actions and its value, on the student's own play.")
  List<String> teachers = List.of();

  /** The command these options are part of; its options get every {@link Settings} value. */
  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  void setSpec(CommandSpec mixee) {
    this.spec = mixee;
    for (Setting<?> s : Settings.ALL) {
      if (mixee.findOption(s.option()) == null) {
        mixee.addOption(s.optionSpec());
      }
    }
  }

  /** A setting's value as given, else its default (null where it has none). */
  public <T> T value(Setting<T> s) {
    return s.type().cast(spec.findOption(s.option()).getValue());
  }

  private boolean given(String option) {
    return set.contains(option) || spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  /**
   * A run's shape, as a program (an experiment) gives it rather than options.
   *
   * @param initFrom a transfer's source run; null for none
   * @param teachers a student's teachers (see --teachers); empty for none
   * @param env env endpoints; empty for the embedded service
   * @param romDir the embedded service's ROMs; null: $ALE_ROM_DIR, else ./roms
   */
  public record RunShape(Map<String, Integer> threadsPerGame, Architecture arch, boolean lstm,
      long framesPerGame, long seed, Path initFrom, Freeze freeze, List<String> teachers,
      List<String> env, Path romDir) {
    /** A new run from scratch on the embedded env service: feed-forward net, seed 1. */
    public static RunShape of(Map<String, Integer> threadsPerGame, Architecture arch, long framesPerGame) {
      return new RunShape(new LinkedHashMap<>(threadsPerGame), arch, false, framesPerGame, 1, null,
          Freeze.NONE, List.of(), List.of(), null);
    }
  }

  /** What a program sets through {@link RunShape}; its settings list may not set them too. */
  private static final List<String> SHAPE_OPTIONS = List.of("--games", "--arch", "--lstm",
      Settings.THREADS.option(), Settings.FRAMES.option(), Settings.FRAMES_PER_GAME.option(),
      Settings.SEED.option(), "--init-from", "--freeze", "--teachers", "--env", "--rom-dir",
      "--run-dir", "--resume", "--resume-if-exists");

  /** Train's options as the train command parses them (ParameterException where it would refuse). */
  public static TrainOptions parse(List<String> args) {
    Holder holder = new Holder();
    new CommandLine(holder).parseArgs(args.toArray(String[]::new));
    return holder.options;
  }

  /** The holder picocli parses a settings list into. */
  @CommandLine.Command(name = "train")
  private static final class Holder {
    @CommandLine.Mixin
    TrainOptions options;
  }

  /**
   * A run of {@code shape} with the settings {@code settings} gives as train options
   * ({@code ["--lr", "1e-4"]}); refused (a ParameterException) where they are not train
   * options, are out of range, or set what the shape sets.
   */
  public static TrainOptions of(RunShape shape, List<String> settings) {
    TrainOptions o = parse(settings);
    for (String option : SHAPE_OPTIONS) {
      if (o.given(option)) {
        throw o.usage(option + " is set by the experiment, not by its train options");
      }
    }
    o.games = String.join(",", shape.threadsPerGame().entrySet().stream()
        .map(e -> e.getKey() + ":" + e.getValue()).toList());
    o.arch = shape.arch().id();
    o.lstm = shape.lstm();
    o.initFrom = shape.initFrom();
    o.freeze = shape.freeze().id();
    o.teachers = List.copyOf(shape.teachers());
    o.env = List.copyOf(shape.env());
    o.roms.set(shape.romDir());
    o.spec.findOption(Settings.FRAMES_PER_GAME.option()).setValue(shape.framesPerGame());
    o.spec.findOption(Settings.SEED.option()).setValue(shape.seed());
    o.set.addAll(List.of("--games", "--arch", "--lstm", "--freeze", "--teachers", "--env",
        Settings.FRAMES_PER_GAME.option(), Settings.SEED.option()));
    if (shape.romDir() != null) {
      o.set.add("--rom-dir");
    }
    o.validate();
    return o;
  }

  /** Whether the options ask to continue a run (--resume). */
  public boolean resuming() {
    return resume != null;
  }

  /** Whether the options ask for distillation. */
  public boolean distilling() {
    return !teachers.isEmpty();
  }

  /** Every value in range, and the options that go together, before anything is read or written. */
  public void validate() {
    for (Setting<?> s : Settings.ALL) {
      String problem = problem(s);
      if (problem != null) {
        throw usage(problem);
      }
    }
    // Which directory and whether it resumes: RunPlanner's checks, in plan().
    Freeze frozen = freeze();
    // A resumed run may be frozen by its own config: checked against it in config().
    if (frozen != Freeze.NONE && initFrom == null && resume == null) {
      throw freezeNeedsInitFrom(frozen);
    }
    env.forEach(e -> OptionChecks.hostPort(spec, "--env", e));
    if (value(Settings.FRAMES_PER_GAME) != null && given(Settings.FRAMES.option())) {
      throw usage("give --frames (the total) or --frames-per-game, not both");
    }
    if (value(Settings.THREADS) != null && games.contains(":") && given("--games")) {
      throw usage("--threads with weighted --games: the weights are the threads (pong:6,breakout:10)");
    }
  }

  private <T> String problem(Setting<T> s) {
    return s.problem(value(s));
  }

  /** What a train command does: start a run, continue one, or (an exception) neither. */
  public RunPlan plan() {
    validate();
    try {
      return RunPlanner.plan(runDir, resume, resumeIfExists,
          dir -> Files.exists(dir.resolve(Checkpoint.FILE)), () -> config(null), this::config,
          TrainOptions::defaultRunDir);
    } catch (RunRefused refused) {
      throw usage(refused.getMessage());
    }
  }

  /** The new run these options describe, checked as train checks them (what `bench` trains). */
  public RunConfig newRun() {
    validate();
    return config(null);
  }

  /**
   * The run the options describe. Resuming ({@code saved} not null), what they do not give is the
   * saved run's, so that only what was given can differ from it.
   */
  public RunConfig config(RunConfig saved) {
    WarmStart source = initFrom == null ? null : warmStart();
    RunConfig.Net sourceNet = source == null ? null : source.sourceConfig().net();
    RunConfig.Net savedNet = saved != null ? saved.net() : sourceNet;
    boolean useLstm = savedNet != null && !given("--lstm") ? savedNet.lstm() : lstm;
    String gameList = saved != null && !given("--games") ? String.join(",", saved.games()) : games;
    Integer threads = pick(Settings.THREADS, saved);
    int n = threads != null ? threads : RunConfig.DEFAULT_THREADS_PER_GAME * gameList.split(",").length;
    LinkedHashMap<String, Integer> perGame;
    Architecture architecture;
    Freeze frozen = saved != null && !given("--freeze") ? saved.freeze() : freeze();
    try {
      // A resume that names neither keeps the run's thread groups, weighted or not.
      perGame = saved != null && !given("--games") && !given(Settings.THREADS.option())
          ? new LinkedHashMap<>(saved.threadsPerGame()) : GameThreads.parse(gameList, n);
      architecture = savedNet != null && !given("--arch") ? savedNet.architecture() : Architecture.of(arch);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (architecture == Architecture.A3C && perGame.size() != 1) {
      throw usage("--arch a3c trains one game" + (sourceNet != null && !given("--arch")
          ? " (the source run's architecture)" : "") + "; use ma3c-1 or ma3c-2 for " + perGame.keySet());
    }
    for (String game : teachers.isEmpty() ? List.<String>of() : perGame.keySet()) {
      try {
        Teachers.find(teachers, game);
      } catch (IllegalArgumentException e) {
        throw usage("--teachers: " + e.getMessage());
      }
    }
    RunConfig.Transfer transfer = source != null
        ? new RunConfig.Transfer(source.file().toString(), frozen)
        : saved != null && saved.transfer() != null
            ? new RunConfig.Transfer(saved.transfer().from(), frozen) : null;
    if (frozen != Freeze.NONE && transfer == null) {
      throw freezeNeedsInitFrom(frozen);
    }
    if (source != null) {
      Map<String, Integer> anyCounts = new LinkedHashMap<>();
      perGame.keySet().forEach(g -> anyCounts.put(g, 1));
      try {
        source.checkFits(new ParameterLayout(new NetSpec(architecture, useLstm, anyCounts)));
      } catch (IllegalArgumentException e) {
        throw usage("--init-from " + initFrom + ": " + e.getMessage());
      }
    }
    boolean savedEndpoints = saved != null && !saved.env().endpoints().isEmpty();
    if (envSecurity.given() && env.isEmpty() && !savedEndpoints) {
      throw usage("--tls-ca and --token-file are for --env endpoints; the embedded env service needs neither");
    }
    List<String> endpoints = saved != null && !given("--env") ? saved.env().endpoints()
        : env.stream().map(e -> OptionChecks.hostPort(spec, "--env", e).toString()).toList();
    String romDir = saved != null && this.roms.given() == null ? saved.env().romDir()
        : LocalGames.romDir(this.roms.given()).toString();
    boolean needsRoms = perGame.keySet().stream().anyMatch(g -> !g.equals("catch"));
    if (saved == null && env.isEmpty() && needsRoms && !Files.isDirectory(Path.of(romDir))) {
      throw usage("no ROM directory at " + Path.of(romDir).toAbsolutePath()
          + ": pass --rom-dir, set ALE_ROM_DIR or put the ROMs in ./roms");
    }
    Integer tMax = pick(Settings.T_MAX, saved);
    Long perGameBudget = saved != null && given(Settings.FRAMES.option()) ? null
        : pick(Settings.FRAMES_PER_GAME, saved);
    A3CConfig.Budget budget = perGameBudget != null
        ? new A3CConfig.Budget(perGameBudget * perGame.size(), perGameBudget)
        : new A3CConfig.Budget(pick(Settings.FRAMES, saved), 0);
    A3CConfig a3c = new A3CConfig(
        new A3CConfig.Rollout(tMax != null ? tMax : A3CConfig.defaultTMax(useLstm),
            pick(Settings.GAMMA, saved), pick(Settings.REWARD_CLIP, saved)),
        new A3CConfig.Loss(pick(Settings.BETA, saved), pick(Settings.VALUE_COEF, saved),
            pick(Settings.CLIP_NORM, saved)),
        new A3CConfig.RmsProp(pick(Settings.LR, saved), pick(Settings.RMS_ALPHA, saved),
            pick(Settings.RMS_EPS, saved), pick(Settings.RMS_INIT, saved)),
        budget);
    return new RunConfig(new RunConfig.Net(architecture, useLstm), perGame, a3c,
        new RunConfig.Env(endpoints, romDir, pick(Settings.STICKY, saved), pick(Settings.NOOP_MAX, saved),
            pick(Settings.LIFE_LOSS, saved),
            envSecurity.given() ? envSecurity.security() : saved != null ? saved.env().security() : null),
        pick(Settings.SEED, saved),
        new RunConfig.Reporting(pick(Settings.CHECKPOINT_EVERY, saved), pick(Settings.PROGRESS_EVERY, saved)),
        transfer,
        new RunConfig.Allocation(RunConfig.AllocationMode.of(pick(Settings.ALLOCATION, saved)),
            pick(Settings.ALLOCATION_EVERY, saved)),
        saved != null && !given("--teachers") ? saved.teachers() : teachers.isEmpty() ? null
            : teachers.stream().map(t -> Path.of(t).toAbsolutePath().normalize().toString()).toList());
  }

  /** The value given; else, resuming, the run's; else the default. */
  private <T> T pick(Setting<T> s, RunConfig saved) {
    if (saved == null || given(s.option())) {
      return value(s);
    }
    T kept = s.inRun().apply(saved);
    return kept != null ? kept : value(s);
  }

  private Freeze freeze() {
    try {
      return Freeze.of(freeze);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private CommandLine.ParameterException freezeNeedsInitFrom(Freeze frozen) {
    return usage("--freeze " + frozen.id() + " needs --init-from (frozen blocks would stay random)");
  }

  private WarmStart warmStart() {
    try {
      return WarmStart.load(initFrom);
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw usage("--init-from " + initFrom + ": " + e.getMessage());
    }
  }

  private static Path defaultRunDir(RunConfig config) {
    return Path.of("runs", config.net().architecture().id() + "-" + String.join("+", config.games()) + "-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
  }

  private CommandLine.ParameterException usage(String message) {
    return OptionChecks.usage(spec, message);
  }
}
