package ma3c.env.embed;

import io.grpc.ManagedChannelBuilder;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import ma3c.env.EnvServer;

/**
 * The env service in this JVM on the in-process transport, reached through the contract like a
 * remote one. Its sessions run on the calling thread (see EnvServer.inProcess).
 */
public final class EmbeddedEnvService implements AutoCloseable {
  private final EnvServer server;
  private final String name;

  private EmbeddedEnvService(EnvServer server, String name) {
    this.server = server;
    this.name = name;
  }

  /** A started service on {@code romDir} with the service's default limits. */
  public static EmbeddedEnvService start(Path romDir) throws IOException {
    return start(EnvServer.Options.defaults(romDir));
  }

  /** The same with at most {@code maxSessions} sessions, each closed after {@code idleTimeout} idle. */
  public static EmbeddedEnvService start(Path romDir, int maxSessions, Duration idleTimeout)
      throws IOException {
    EnvServer.Options defaults = EnvServer.Options.defaults(romDir);
    return start(new EnvServer.Options(romDir, maxSessions, idleTimeout, defaults.maxMessageBytes()));
  }

  private static EmbeddedEnvService start(EnvServer.Options options) throws IOException {
    String name = "ma3c-embedded-" + InProcessServerBuilder.generateName();
    return new EmbeddedEnvService(EnvServer.inProcess(name, options).start(), name);
  }

  /**
   * A builder of channels to this service; direct executor, so that the caller's thread steps
   * its own emulator with no thread hand-off.
   */
  public ManagedChannelBuilder<?> channelBuilder() {
    return InProcessChannelBuilder.forName(name).directExecutor();
  }

  /** Stops the service, waiting up to 5 s for its sessions to end. */
  @Override
  public void close() throws InterruptedException {
    server.stop(Duration.ofSeconds(5));
  }
}
