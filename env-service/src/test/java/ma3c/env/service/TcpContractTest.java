package ma3c.env.service;

import io.grpc.Channel;
import java.time.Duration;
import ma3c.env.EnvServer;
import ma3c.env.TestEnvServer;
import ma3c.env.TestRoms;
import ma3c.env.contract.EnvContractSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The env contract suite against a TCP server on loopback (what a container or a remote client talks to). */
class TcpContractTest extends EnvContractSuite {
  private static final Limits LIMITS = new Limits(4, Duration.ofSeconds(2), 65536);
  private static TestEnvServer env;

  @BeforeAll
  static void start() throws Exception {
    env = TestEnvServer.tcp(new EnvServer.Options(TestRoms.dir(), LIMITS.maxSessions(),
        LIMITS.idleTimeout(), LIMITS.maxMessageBytes()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (env != null) {
      env.close();
    }
  }

  @Override
  protected Channel channel() {
    return env.channel;
  }

  @Override
  protected Limits limits() {
    return LIMITS;
  }
}
