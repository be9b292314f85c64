package ma3c.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.TlsServerCredentials;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import ma3c.cli.CommandRun;
import ma3c.cli.security.TestCertificates;
import ma3c.env.EnvServer;
import ma3c.grpc.server.security.BearerTokenInterceptor;
import ma3c.grpc.server.security.ServerSecurity;
import ma3c.learner.run.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training against an env service that wants TLS and a bearer token. */
class SecureEnvTest {
  @Test
  void theLearnerTrainsWithTheCaAndTokenAndIsRefusedWithAWrongToken(@TempDir Path dir) throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    EnvServer server = EnvServer.tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        EnvServer.Options.defaults(dir.resolve("no-roms")), new ServerSecurity.Settings(
            TlsServerCredentials.create(certs.cert().toFile(), certs.key().toFile()),
            Optional.of(new BearerTokenInterceptor("letmein")))).start();
    try {
      String env = "localhost:" + server.port();
      Path good = TestCertificates.tokenFile(dir, "good", "letmein");
      Path run = dir.resolve("run");
      CommandRun ok = CommandRun.of(LearnerMain.commandLine(), "train", "--games", "catch",
          "--arch", "a3c", "--threads", "1", "--frames", "2000", "--env", env, "--tls-ca",
          certs.cert().toString(), "--token-file", good.toString(), "--run-dir", run.toString(),
          "--progress-every", "60");
      assertEquals(0, ok.exit(), ok.err());
      Checkpoint c = Checkpoint.load(run.resolve(Checkpoint.FILE));
      assertTrue(c.meta().frames() >= 2000);
      assertEquals(good.toAbsolutePath().toString(), c.meta().config().env().security().tokenFile(),
          "the token's file, never the token, is in the run's config");

      Path wrong = TestCertificates.tokenFile(dir, "wrong", "letmeout");
      CommandRun refused = CommandRun.of(LearnerMain.commandLine(), "train", "--games", "catch",
          "--arch", "a3c", "--threads", "1", "--frames", "2000", "--env", env, "--tls-ca",
          certs.cert().toString(), "--token-file", wrong.toString(), "--run-dir",
          dir.resolve("refused").toString());
      assertEquals(1, refused.exit(), refused.err());
      assertTrue(refused.err().contains("refused the learner (UNAUTHENTICATED"), refused.err());
      assertFalse(refused.err().contains("letmeout") || refused.err().contains("letmein"),
          "no token in the message: " + refused.err());
    } finally {
      server.stop(Duration.ofSeconds(2));
    }
  }

  @Test
  void securityOptionsWithoutEnvAreAUsageError(@TempDir Path dir) throws Exception {
    Path token = TestCertificates.tokenFile(dir, "t", "x");
    CommandRun r = CommandRun.of(LearnerMain.commandLine(), "train", "--games", "catch",
        "--token-file", token.toString(), "--run-dir", dir.resolve("r").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("are for --env endpoints"), r.err());
  }
}
