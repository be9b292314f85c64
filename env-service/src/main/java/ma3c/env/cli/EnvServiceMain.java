package ma3c.env.cli;

import ma3c.env.EnvServer;
import ma3c.cli.VerboseOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import ma3c.cli.CliErrors;
import ma3c.cli.CommandFailedException;
import ma3c.cli.HealthCheckCommand;
import ma3c.cli.ProjectVersion;
import ma3c.env.ale.RomDirectory;
import ma3c.env.ale.RomImporter;
import ma3c.env.bench.EnvBenchmark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Command;
import ma3c.cli.metrics.MetricsOptions;
import ma3c.grpc.server.security.ServerSecurity;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** Command line of the environment service: serve (default), import-roms, bench, health. */
@Command(name = "ma3c-env", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
    description = "Atari 2600 games (ALE) behind the ma3c.env.v1 gRPC contract.",
    subcommands = {EnvServiceMain.ImportRoms.class, EnvBenchmark.class})
public final class EnvServiceMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(EnvServiceMain.class);

  @Mixin
  ServeOptions serve;

  @Mixin
  ServerSecurity security;

  @Mixin
  MetricsOptions metricsOptions;

  @CommandLine.Mixin
  VerboseOption verbose;

  @Override
  public Integer call() throws Exception {
    EnvServer.Options options = serve.options();
    ServerSecurity.Settings secured = security.settings();
    metricsOptions.check();
    EnvServer server = EnvServer.tcp(serve.address(), options, secured,
        serve.stepOnTransportThreads).start();
    if (serve.stepOnTransportThreads) {
      log.info("sessions step on their connection's network thread (--step-on-transport-threads)");
    }
    try {
      metricsOptions.start(serve.address().getAddress(), server.metrics()).ifPresent(m ->
          log.info("Prometheus metrics at http://{}:{}/metrics", serve.address().getHostString(), m.port()));
    } catch (CommandFailedException e) {
      server.stop(Duration.ZERO);
      throw e;
    }
    log.info("{}, {}", secured.tls() ? "TLS" : "plaintext (no TLS)",
        secured.auth().isPresent() ? "bearer token required" : "no token required");
    log.info("ROM directory {}", options.romDir().toAbsolutePath());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down: draining sessions");
      try {
        server.stop(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "env-shutdown"));
    server.blockUntilShutdown();
    return 0;
  }

  @Command(name = "import-roms", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
      description = "Copy the ROMs ALE supports from a folder into the ROM directory, named by game.")
  static final class ImportRoms implements Callable<Integer> {
    @Parameters(index = "0", description = "Folder to import from (searched recursively).")
    Path from;

    @Option(names = "--rom-dir", description = "Target ROM directory (default: $ALE_ROM_DIR, else ./roms).")
    Path romDir;

    @Override
    public Integer call() throws Exception {
      Path target = RomDirectory.resolve(romDir);
      List<RomImporter.Outcome> outcomes = RomImporter.importAll(from, target);
      long imported = 0;
      for (RomImporter.Outcome o : outcomes) {
        if (o.game().isPresent()) {
          imported++;
          System.out.printf("imported     %-40s -> %s.bin%n", o.source().getFileName(), o.game().get());
        } else {
          System.out.printf("unsupported  %s%n", o.source().getFileName());
        }
      }
      System.out.printf("%d imported into %s, %d not supported%n", imported, target.toAbsolutePath(),
          outcomes.size() - imported);
      return 0;
    }
  }

  /** The command line, with its one-line error reports. */
  static CommandLine commandLine() {
    return CliErrors.install(new CommandLine(new EnvServiceMain())
        .addSubcommand(new HealthCheckCommand(ServeOptions.LISTEN)));
  }

  public static void main(String[] args) {
    // gRPC logs through java.util.logging; send it to SLF4J with everything else.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(commandLine().execute(args));
  }
}
