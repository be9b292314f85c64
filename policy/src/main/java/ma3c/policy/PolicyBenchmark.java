package ma3c.policy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import ma3c.cli.OptionChecks;
import ma3c.cli.ParallelRate;
import ma3c.model.Architecture;
import ma3c.model.NetSpec;
import ma3c.model.ParameterLayout;
import ma3c.model.onnx.ModelMetadata;
import ma3c.model.onnx.OnnxPolicy;
import ma3c.model.onnx.OnnxPolicyGraph;
import ma3c.policy.v1.ActRequest;
import ma3c.policy.v1.PolicyGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Policy inference in one run: ONNX Runtime in-process per step (FF and LSTM), then Act calls/s
 * through the policy server on loopback with one and with several clients.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure in-process inference per step and policy-server Act latency and throughput.")
public final class PolicyBenchmark implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Option(names = "--calls", defaultValue = "5000", description = "Measured calls per case, at least 1.") int calls;
  @Option(names = "--clients", defaultValue = "4", description = "Concurrent clients, at least 1.") int clients;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast(spec, "--calls", calls, 1);
    OptionChecks.atLeast(spec, "--clients", clients, 1);
    Path dir = Files.createTempDirectory("ma3c-policy-bench");
    for (boolean lstm : new boolean[] {false, true}) {
      write(dir, lstm ? "lstm" : "ff", lstm);
    }
    SplittableRandom random = new SplittableRandom(1);
    for (String game : List.of("ff", "lstm")) {
      try (OnnxPolicy policy = new OnnxPolicy(dir.resolve(game + ".onnx"))) {
        byte[] obs = new byte[policy.observationSize()];
        OnnxPolicy.Decision d = null;
        for (int i = 0; i < 500; i++) {
          d = policy.act(obs, d == null ? null : d.h(), d == null ? null : d.c(), false, random);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
          d = policy.act(obs, d.h(), d.c(), false, random);
        }
        System.out.printf("in-process ONNX Runtime, %-4s: %.3f ms per step%n", game,
            (System.nanoTime() - t0) / 1e6 / calls);
      }
    }
    PolicyServer server = PolicyServer.tcp(InetAddress.getLoopbackAddress(), 0, dir,
        Duration.ofMinutes(10)).start();
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    try {
      ActRequest request = ActRequest.newBuilder().setGame("ff")
          .setObservation(ByteString.copyFrom(new byte[4 * 84 * 84])).build();
      for (int n : new int[] {1, clients}) {
        double rate = actsPerSecond(channel, request, n);
        System.out.printf("policy server (FF), %d client%s: %,.0f Act calls/s, %.3f ms per call%n",
            n, n == 1 ? " " : "s", rate, n / rate * 1e3);
      }
    } finally {
      channel.shutdownNow();
      server.stop(Duration.ofSeconds(5));
    }
    return 0;
  }

  private double actsPerSecond(ManagedChannel channel, ActRequest request, int clients) throws Exception {
    return ParallelRate.total(clients, client -> () -> {
      PolicyGrpc.PolicyBlockingStub stub = PolicyGrpc.newBlockingStub(channel);
      for (int i = 0; i < 300; i++) {
        stub.act(request);
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        stub.act(request);
      }
      return calls / ((System.nanoTime() - t0) / 1e9);
    });
  }

  private static void write(Path dir, String game, boolean lstm) throws Exception {
    ParameterLayout layout = new ParameterLayout(new NetSpec(Architecture.A3C, lstm, Map.of(game, 6)));
    ModelMetadata meta = new ModelMetadata(game, List.of("A", "B", "C", "D", "E", "F"), "a3c", lstm,
        layout.spec().frames(), 0, "{}", ModelMetadata.FORMAT_VERSION);
    Files.write(dir.resolve(game + ".onnx"), OnnxPolicyGraph.withParameters(layout, game,
        layout.initialParameters(1), meta.toProperties()).toByteArray());
  }
}
