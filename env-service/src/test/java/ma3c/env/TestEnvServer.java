package ma3c.env;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import ma3c.env.client.EnvSession;
import ma3c.env.contract.EnvException;
import ma3c.env.v1.EnvConfig;

/** A real env server and a channel to it, for one test; close() stops both. */
public final class TestEnvServer implements AutoCloseable {
  public final EnvServer server;
  public final ManagedChannel channel;

  private TestEnvServer(EnvServer server, ManagedChannel channel) {
    this.server = server;
    this.channel = channel;
  }

  /** In-process transport: fast, but it skips serialization and message size limits. */
  public static TestEnvServer inProcess(EnvServer.Options options) throws Exception {
    String name = InProcessServerBuilder.generateName();
    return new TestEnvServer(EnvServer.inProcess(name, options).start(),
        InProcessChannelBuilder.forName(name).directExecutor().build());
  }

  /** Real TCP on a free loopback port, for what only the wire shows. */
  public static TestEnvServer tcp(EnvServer.Options options) throws Exception {
    EnvServer server = EnvServer.tcp(0, options).start();
    return new TestEnvServer(server,
        NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build());
  }

  /** Real TCP, sessions stepped on the network threads (--step-on-transport-threads). */
  public static TestEnvServer tcpSteppingOnTransportThreads(EnvServer.Options options) throws Exception {
    EnvServer server = EnvServer.tcp(new java.net.InetSocketAddress(
        java.net.InetAddress.getLoopbackAddress(), 0), options,
        ma3c.grpc.server.security.ServerSecurity.Settings.none(), true).start();
    return new TestEnvServer(server,
        NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build());
  }

  public static TestEnvServer withRoms() throws Exception {
    return inProcess(EnvServer.Options.defaults(TestRoms.dir()));
  }

  public EnvSession open(String game, EnvConfig config) throws EnvException {
    return EnvSession.open(channel, game, config);
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow();
    server.stop(Duration.ofSeconds(5));
  }
}
