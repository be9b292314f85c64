package ma3c.learner;

import ma3c.learner.train.Trainer;
import ma3c.cli.VerboseOption;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import ma3c.cli.CliErrors;
import ma3c.cli.OptionChecks;
import ma3c.cli.ProjectVersion;
import ma3c.cli.metrics.MetricsOptions;
import ma3c.dashboard.DashboardCommand;
import ma3c.dashboard.DashboardServer;
import ma3c.learner.bench.RooflineCommand;
import ma3c.learner.bench.TrainingBenchmark;
import ma3c.learner.evaluate.EvaluateCommand;
import ma3c.learner.experiment.ExperimentCommand;
import ma3c.learner.export.ExportCommand;
import ma3c.learner.play.PlayCommand;
import ma3c.learner.plot.PlotCommand;
import ma3c.learner.run.RunConfig;
import ma3c.learner.train.RunPlan;
import ma3c.learner.train.RunRefused;
import ma3c.learner.train.StopOnSignal;
import ma3c.learner.train.TrainOptions;
import ma3c.learner.train.Training;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The learner's command line: train (default), plot, bench, roofline, ... */
@Command(name = "ma3c", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
    description = "Multi-task asynchronous advantage actor-critic (A3C, MA3C-1, MA3C-2) on Atari.",
    subcommands = {LearnerMain.Train.class, LearnerMain.Distill.class, ExportCommand.class, PlayCommand.class,
        EvaluateCommand.class, PlotCommand.class, ExperimentCommand.class, TrainingBenchmark.class, RooflineCommand.class,
        DashboardCommand.class})
public final class LearnerMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(LearnerMain.class);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin
  VerboseOption verbose;

  /** Reached only through picocli when no subcommand matched (main() defaults to train). */
  @Override
  public Integer call() {
    spec.commandLine().usage(System.out);
    return 0;
  }

  /** Trains, or resumes a run. */
  @Command(name = "train", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
      description = "Train (the default command).")
  public static class Train implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    TrainOptions options;

    @Option(names = "--env-connections", defaultValue = "1", paramLabel = "N|" + PER_THREAD,
        description = "Connections to each --env endpoint (1.." + RunConfig.MAX_THREADS + "), actor"
            + " threads taking them in turn; " + PER_THREAD + ": one for each actor thread, for an env"
            + " service run with --step-on-transport-threads (SCALING.md)."
            + " Not saved with the run. Default: ${DEFAULT-VALUE}.")
    String envConnections;

    /** --env-connections' value for a connection per actor thread. */
    static final String PER_THREAD = "per-thread";

    @CommandLine.Mixin
    MetricsOptions metricsOptions;

    @Option(names = "--ui", paramLabel = "PORT",
        description = "While training, serve the live dashboard of this run and the runs beside it"
            + " at http://127.0.0.1:PORT/ (see `ma3c dashboard`).")
    Integer uiPort;

    @Override
    public Integer call() throws Exception {
      validate();
      RunPlan plan = options.plan();
      List<AutoCloseable> servers = new ArrayList<>();
      try (StopOnSignal signals = StopOnSignal.install("ma3c-stop")) {
        Training training = Training.in(plan.dir());
        if (PER_THREAD.equals(envConnections)) {
          training.connectionPerThread();
        } else {
          training.envConnections(envConnections());
        }
        training.whileTraining(trainer -> {
          signals.watch(trainer);
          serve(trainer, plan.dir(), servers);
        }).run(plan);
      } catch (RunRefused refused) {
        throw usage(refused.getMessage());
      } finally {
        for (AutoCloseable server : servers) {
          server.close();
        }
      }
      return 0;
    }

    /** --metrics-port and --ui: served until training ends. */
    private void serve(Trainer trainer, Path dir, List<AutoCloseable> servers) throws Exception {
      metricsOptions.start(InetAddress.getLoopbackAddress(), trainer.metrics()).ifPresent(m -> {
        servers.add(m);
        log.info("Prometheus metrics on port {} (/metrics)", m.port());
      });
      if (uiPort != null) {
        // This run's dashboard, the runs beside it there to compare.
        DashboardServer ui = DashboardServer.start(new InetSocketAddress(
            InetAddress.getLoopbackAddress(), uiPort), List.of(dir.toAbsolutePath().getParent()));
        servers.add(ui);
        log.info("dashboard on {}", ui.url());
      }
    }

    /** --env-connections as a count; 0 when it is not one (per-thread, or not a number). */
    private int envConnections() {
      return envConnections.matches("\\d{1,4}") ? Integer.parseInt(envConnections) : 0;
    }

    /** The options of the command itself in range (the run's: TrainOptions.plan()). */
    private void validate() {
      metricsOptions.check();
      if (uiPort != null) {
        OptionChecks.range(spec, "--ui", uiPort, 0, 65535);
      }
      int connections = envConnections();
      if (!PER_THREAD.equals(envConnections) && (connections < 1 || connections > RunConfig.MAX_THREADS)) {
        throw usage("--env-connections must be 1.." + RunConfig.MAX_THREADS + " or " + PER_THREAD
            + ", got " + envConnections);
      }
    }

    private CommandLine.ParameterException usage(String message) {
      return new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }

  /** `ma3c distill`: train with --teachers (required), every other train option as well. */
  @Command(name = "distill", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
      description = "Policy distillation: one (multi-task) student learns each game from its"
          + " teacher's exported policy (--teachers) on its own play; the baseline the paper"
          + " compares MA3C with.")
  public static final class Distill extends Train {
    @Override
    public Integer call() throws Exception {
      if (!options.distilling() && !options.resuming()) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "distill needs --teachers: the per-game policies to learn from (e.g. runs/<run>/export)");
      }
      return super.call();
    }
  }

  /** The command line with its error handling (one line and exit 2 or 1; see CliErrors). */
  public static CommandLine commandLine() {
    return CliErrors.install(new CommandLine(new LearnerMain()));
  }

  private static final java.util.Set<String> TRAINING_COMMANDS =
      java.util.Set.of("train", "distill", "experiment", "bench", "roofline");
  private static final List<String> HELP_OR_VERSION = List.of("-h", "--help", "-V", "--version");

  /**
   * With no subcommand named, train with the given options: `ma3c --games pong` is `ma3c train
   * --games pong`, while `ma3c --verbose export ...` stays export.
   */
  static String[] withDefaultCommand(String[] args) {
    String word = commandWord(args);
    if (!word.isEmpty() && (!word.startsWith("-") || HELP_OR_VERSION.contains(word))) {
      return args;
    }
    String[] withTrain = new String[args.length + 1];
    withTrain[0] = "train";
    System.arraycopy(args, 0, withTrain, 1, args.length);
    return withTrain;
  }

  /** Where a subcommand's name goes: the first argument but the root's --verbose; "" if none. */
  private static String commandWord(String[] args) {
    return Arrays.stream(args).filter(a -> !a.equals(CliErrors.VERBOSE)).findFirst().orElse("");
  }

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    args = withDefaultCommand(args);
    // The net's kernels use the Vector API, an incubator module the JVM loads only when asked:
    // without it the first forward pass would fail deep inside a training thread. The commands
    // that only read runs or play ONNX models (dashboard, plot, export, play, evaluate) run without it.
    if (TRAINING_COMMANDS.contains(commandWord(args))
        && ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      System.err.println("ma3c: the learner needs Java's Vector API: run it as java --add-modules"
          + " jdk.incubator.vector -jar ma3c-learner.jar ... (./ma3c does)");
      System.exit(2);
    }
    System.exit(commandLine().execute(args));
  }
}
