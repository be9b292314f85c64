package ma3c.env.cli;

import ma3c.env.EnvServer;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import ma3c.cli.HealthCheckCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HealthCheckCommandTest {
  private static int health(String... args) {
    return new CommandLine(new HealthCheckCommand(ServeOptions.LISTEN)).execute(args);
  }

  @Test
  void exitsZeroOnlyWhileTheServerIsServing(@TempDir Path noRoms) throws Exception {
    // No ROMs to describe: the server turns SERVING as soon as it starts.
    EnvServer server = EnvServer.tcp(0, EnvServer.Options.defaults(noRoms)).start();
    String address = "127.0.0.1:" + server.port();
    await().atMost(Duration.ofMinutes(1)).until(() -> health("--address", address) == 0);
    assertEquals(0, health("--address", address, "--service", "ma3c.env.v1.Environment"));
    server.stop(Duration.ofSeconds(5));
    assertEquals(1, health("--address", address));
  }

  /**
   * The image's HEALTHCHECK runs `health` alone: it must find a service that ENV_BIND put on an
   * address other than 127.0.0.1 (here 127.0.0.2, on Linux's loopback too).
   */
  @Test
  void byDefaultItAsksWhereEnvBindAndEnvPortPutTheService(@TempDir Path noRoms) throws Exception {
    InetAddress elsewhere = InetAddress.getByName("127.0.0.2");
    EnvServer server = EnvServer.tcp(new InetSocketAddress(elsewhere, 0),
        EnvServer.Options.defaults(noRoms)).start();
    try {
      Map<String, String> env = Map.of("ENV_BIND", elsewhere.getHostAddress(),
          "ENV_PORT", String.valueOf(server.port()));
      await().atMost(Duration.ofMinutes(1)).until(() ->
          new CommandLine(new HealthCheckCommand(ServeOptions.LISTEN, env)).execute() == 0);
    } finally {
      server.stop(Duration.ofSeconds(5));
    }
  }
}
