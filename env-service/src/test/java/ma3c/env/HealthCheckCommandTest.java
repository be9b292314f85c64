package ma3c.env;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import ma3c.cli.HealthCheckCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HealthCheckCommandTest {
  @Test
  void exitsZeroOnlyWhileTheServerIsServing(@TempDir Path noRoms) throws Exception {
    // No ROMs to describe: the server turns SERVING as soon as it starts.
    EnvServer server = EnvServer.tcp(0, EnvServer.Options.defaults(noRoms)).start();
    String address = "127.0.0.1:" + server.port();
    await().atMost(Duration.ofMinutes(1)).until(() -> new CommandLine(new HealthCheckCommand(ServeOptions.LISTEN)).execute("--address", address) == 0);
    assertEquals(0, new CommandLine(new HealthCheckCommand(ServeOptions.LISTEN)).execute("--address", address,
        "--service", "ma3c.env.v1.Environment"));
    server.stop(Duration.ofSeconds(5));
    assertEquals(1, new CommandLine(new HealthCheckCommand(ServeOptions.LISTEN)).execute("--address", address));
  }
}
