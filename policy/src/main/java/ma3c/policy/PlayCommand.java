package ma3c.policy;

import ma3c.model.NetSpec;

import com.google.protobuf.util.JsonFormat;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import ma3c.env.EnvServer;
import ma3c.env.ale.RomDirectory;
import ma3c.env.client.EnvSession;
import ma3c.env.client.Observations;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.ResetResponse;
import ma3c.env.v1.StepResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Plays an exported policy against the env service and prints its scores. */
@Command(name = "play", mixinStandardHelpOptions = true,
    description = "Play an exported ONNX policy for N episodes; optionally record one as a GIF.")
public final class PlayCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "An exported <game>.onnx.") Path model;
  @Option(names = "--episodes", defaultValue = "10") int episodes;
  @Option(names = "--greedy", description = "Most probable action instead of sampling.") boolean greedy;
  @Option(names = "--env", description = "Env service host:port (default: embedded in-process).") String env;
  @Option(names = "--rom-dir", description = "ROMs for the embedded env (default: $ALE_ROM_DIR, else ./roms).") Path romDir;
  @Option(names = "--seed", defaultValue = "1") long seed;
  @Option(names = "--gif", description = "Record the first episode as an animated GIF here.") Path gif;
  @Option(names = "--max-steps", defaultValue = "27000", description = "Steps per episode at most.") int maxSteps;

  @Override
  public Integer call() throws Exception {
    EnvServer embedded = null;
    ManagedChannel channel;
    if (env == null) {
      String name = "play-" + UUID.randomUUID();
      embedded = EnvServer.inProcess(name, EnvServer.Options.defaults(RomDirectory.resolve(romDir))).start();
      channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    } else {
      String[] hp = env.split(":");
      channel = NettyChannelBuilder.forAddress(hp[0], Integer.parseInt(hp[1])).usePlaintext().build();
    }
    try (OnnxPolicy policy = new OnnxPolicy(model)) {
      ModelMetadata meta = policy.metadata();
      EnvConfig.Builder config = EnvConfig.newBuilder();
      JsonFormat.parser().ignoringUnknownFields().merge(meta.preprocessing(), config);
      // Scores count whole games, whatever the training episodes were.
      config.setTerminalOnLifeLoss(false).setSeed(seed);
      SplittableRandom random = new SplittableRandom(seed);
      double total = 0;
      try (EnvSession session = EnvSession.open(channel, meta.game(), config.build())) {
        int frameSize = NetSpec.SIZE * NetSpec.SIZE;
        for (int e = 0; e < episodes; e++) {
          GifWriter recorder = e == 0 && gif != null ? new GifWriter(NetSpec.SIZE, NetSpec.SIZE, 3) : null;
          ResetResponse reset = session.reset(OptionalLong.empty());
          byte[] frame = Observations.pixels(reset.getObservation(), frameSize);
          FrameStack stack = new FrameStack(meta.framesStacked(), frameSize);
          stack.reset(frame);
          float[] h = new float[0];
          float[] c = new float[0];
          double score = 0;
          int steps = 0;
          StepResponse step;
          do {
            if (recorder != null) {
              recorder.add(frame);
            }
            OnnxPolicy.Decision d = policy.act(stack.observation(), h, c, greedy, random);
            h = d.h();
            c = d.c();
            step = session.step(d.action());
            score += step.getReward();
            steps++;
            frame = Observations.pixels(step.getObservation(), frameSize);
            stack.push(frame);
          } while (!step.getTerminated() && !step.getTruncated() && steps < maxSteps);
          total += score;
          System.out.printf("episode %d: score %.0f in %d steps%n", e + 1, score, steps);
          if (recorder != null) {
            try (var out = java.nio.file.Files.newOutputStream(gif)) {
              recorder.write(out, 50);
            }
            System.out.printf("recorded %d frames to %s%n", recorder.size(), gif.toAbsolutePath());
          }
        }
      }
      System.out.printf("%s: mean score %.2f over %d episodes (%s)%n", meta.game(), total / episodes,
          episodes, greedy ? "greedy" : "sampled");
    } finally {
      channel.shutdownNow();
      if (embedded != null) {
        embedded.stop(Duration.ofSeconds(5));
      }
    }
    return 0;
  }
}
