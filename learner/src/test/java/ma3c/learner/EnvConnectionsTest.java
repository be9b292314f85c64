package ma3c.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import ma3c.cli.CommandRun;
import ma3c.env.EnvServer;
import ma3c.grpc.server.security.ServerSecurity;
import ma3c.learner.run.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A connection per actor thread to an env service that steps sessions on its network threads. */
class EnvConnectionsTest {
  @Test
  void trainsWithAConnectionPerThread(@TempDir Path dir) throws Exception {
    EnvServer server = EnvServer.tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        EnvServer.Options.defaults(dir.resolve("no-roms")), ServerSecurity.Settings.none(), true).start();
    try {
      Path run = dir.resolve("run");
      CommandRun r = CommandRun.of(LearnerMain.commandLine(), "train", "--games", "catch",
          "--arch", "a3c", "--threads", "3", "--frames", "3000", "--env", "localhost:" + server.port(),
          "--env-connections", "per-thread", "--run-dir", run.toString(), "--progress-every", "60");
      assertEquals(0, r.exit(), r.err());
      assertTrue(Checkpoint.load(run.resolve(Checkpoint.FILE)).meta().frames() >= 3000);
    } finally {
      server.stop(Duration.ofSeconds(2));
    }
  }
}
