package ma3c.env.service;

import io.grpc.Channel;
import ma3c.env.EnvServer;
import ma3c.env.TestEnvServer;
import ma3c.env.TestRoms;
import ma3c.env.contract.EnvContractSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The env contract suite against a server this JVM starts with the suite's limits. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LocalServerContractTest extends EnvContractSuite {
  private TestEnvServer env;

  /** Starts the server under test. */
  abstract TestEnvServer serve(EnvServer.Options options) throws Exception;

  @BeforeAll
  void start() throws Exception {
    Limits limits = limits();
    int maxMessage = limits.maxMessageBytes() == 0 ? 1 << 20 : limits.maxMessageBytes();
    env = serve(new EnvServer.Options(TestRoms.dir(), limits.maxSessions(), limits.idleTimeout(),
        maxMessage));
  }

  @AfterAll
  void stop() throws Exception {
    if (env != null) {
      env.close();
    }
  }

  @Override
  protected Channel channel() {
    return env.channel;
  }
}
