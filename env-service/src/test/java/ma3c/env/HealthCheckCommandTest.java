package ma3c.env;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HealthCheckCommandTest {
  @Test
  void exitsZeroOnlyWhileTheServerIsServing() throws Exception {
    EnvServer server = EnvServer.tcp(0, EnvServer.Options.defaults(TestRoms.dir())).start();
    String address = "127.0.0.1:" + server.port();
    assertEquals(0, new CommandLine(new HealthCheckCommand()).execute("--address", address));
    assertEquals(0, new CommandLine(new HealthCheckCommand()).execute("--address", address,
        "--service", "ma3c.env.v1.Environment"));
    server.stop(Duration.ofSeconds(5));
    assertEquals(1, new CommandLine(new HealthCheckCommand()).execute("--address", address));
  }
}
