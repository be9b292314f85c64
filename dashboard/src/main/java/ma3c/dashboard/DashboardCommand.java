package ma3c.dashboard;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import ma3c.cli.OptionChecks;
import ma3c.cli.ProjectVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `ma3c dashboard [DIRS...]`: serves the live dashboard until Ctrl-C. */
@Command(name = "dashboard", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
    description = "Serve a web page that lists the runs in or under DIRS (config, status, frames,"
        + " frames/s, ETA) and draws their curves, losses, entropy, learning rate, frames/s and"
        + " threads per game, live as they train.")
public final class DashboardCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(DashboardCommand.class);

  @Spec
  CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "DIRS",
      description = "Run directories, or directories holding them. Default: runs/.")
  List<Path> dirs = List.of(Path.of("runs"));

  @Option(names = "--port", defaultValue = "8080", description = "Port (0: any free port). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--bind", defaultValue = "127.0.0.1",
      description = "Address to listen on (0.0.0.0: every interface; the page has no login). Default: ${DEFAULT-VALUE}.")
  String bind;

  @Override
  public Integer call() throws Exception {
    OptionChecks.range(spec, "--port", port, 0, 65535);
    for (Path dir : dirs) {
      OptionChecks.directory(spec, "directory", dir);
    }
    InetSocketAddress address = new InetSocketAddress(OptionChecks.address(spec, "--bind", bind), port);
    CountDownLatch stopped = new CountDownLatch(1);
    try (DashboardServer server = DashboardServer.start(address, dirs)) {
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "dashboard-stop"));
      log.info("dashboard on {} (runs in {}); Ctrl-C stops it", server.url(), dirs);
      stopped.await();
    }
    return 0;
  }
}
