package ma3c.env.service;

import java.time.Duration;
import ma3c.env.EnvServer;
import ma3c.env.TestEnvServer;

/**
 * The env contract suite against the server on gRPC's in-process transport (what the learner
 * embeds). It passes messages by reference, so no transport limit applies: the session's own
 * check of the message limit does.
 */
class InProcessContractTest extends LocalServerContractTest {
  @Override
  TestEnvServer serve(EnvServer.Options options) throws Exception {
    return TestEnvServer.inProcess(options);
  }

  @Override
  protected Limits limits() {
    return new Limits(4, Duration.ofSeconds(2), 65536);
  }
}
