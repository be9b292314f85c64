package ma3c.env;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import ma3c.env.ale.RomDirectory;
import ma3c.env.ale.RomImporter;
import ma3c.env.bench.EnvBenchmark;
import ma3c.env.session.GameCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Command line of the environment service: serve (default), import-roms, bench. */
@Command(name = "ma3c-env", mixinStandardHelpOptions = true,
    description = "Atari 2600 games (ALE) behind the ma3c.env.v1 gRPC contract.",
    subcommands = {EnvServiceMain.ImportRoms.class, EnvBenchmark.class, HealthCheckCommand.class})
public final class EnvServiceMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(EnvServiceMain.class);

  @Option(names = "--port", defaultValue = "${env:ENV_PORT:-50051}",
      description = "TCP port (env ENV_PORT; default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--rom-dir", description = "ROM directory (default: $ALE_ROM_DIR, else ./roms).")
  Path romDir;

  @Option(names = "--max-sessions", defaultValue = "${env:ENV_MAX_SESSIONS:-64}",
      description = "Most environments open at once (env ENV_MAX_SESSIONS; default ${DEFAULT-VALUE}).")
  int maxSessions;

  @Option(names = "--idle-timeout", defaultValue = "${env:ENV_IDLE_TIMEOUT:-PT5M}",
      description = "End sessions idle this long, ISO-8601 (env ENV_IDLE_TIMEOUT; default ${DEFAULT-VALUE}).")
  Duration idleTimeout;

  @Option(names = "--max-message-bytes", defaultValue = "${env:ENV_MAX_MESSAGE_BYTES:-4194304}",
      description = "Largest request accepted (env ENV_MAX_MESSAGE_BYTES; default ${DEFAULT-VALUE}).")
  int maxMessageBytes;

  @Override
  public Integer call() throws Exception {
    Path roms = RomDirectory.resolve(romDir);
    EnvServer server = EnvServer.tcp(port,
        new EnvServer.Options(roms, maxSessions, idleTimeout, maxMessageBytes)).start();
    log.info("ROM directory {}", roms.toAbsolutePath());
    // Describing a ROM costs a ROM load (~90 ms); do the whole directory now, in the background,
    // so a client's first ListGames answers at once instead of after ~10 s.
    Thread warmup = new Thread(() -> log.info("{} games available",
        new GameCatalog(roms).games().size()), "catalog-warmup");
    warmup.setDaemon(true);
    warmup.setPriority(Thread.MIN_PRIORITY);
    warmup.start();
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

  @Command(name = "import-roms", mixinStandardHelpOptions = true,
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

  public static void main(String[] args) {
    // gRPC logs through java.util.logging; send it to SLF4J with everything else.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(new CommandLine(new EnvServiceMain()).execute(args));
  }
}
