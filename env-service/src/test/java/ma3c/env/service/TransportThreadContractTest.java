package ma3c.env.service;

import java.time.Duration;
import ma3c.env.EnvServer;
import ma3c.env.TestEnvServer;

/** The env contract suite against a TCP server that steps sessions on its network threads. */
class TransportThreadContractTest extends LocalServerContractTest {
  @Override
  TestEnvServer serve(EnvServer.Options options) throws Exception {
    return TestEnvServer.tcpSteppingOnTransportThreads(options);
  }

  @Override
  protected Limits limits() {
    return new Limits(4, Duration.ofSeconds(2), 65536);
  }
}
