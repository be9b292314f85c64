package ma3c.learner.play;

import ai.onnxruntime.OrtException;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import ma3c.cli.RomDirOption;
import ma3c.cli.CommandFailedException;
import ma3c.cli.OptionChecks;
import ma3c.cli.ProjectVersion;
import ma3c.cli.security.ClientSecurityOptions;
import ma3c.env.client.EnvSession;
import ma3c.env.contract.EnvException;
import ma3c.env.embed.EmbeddedEnvService;
import ma3c.env.embed.LocalGames;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EnvSpec;
import ma3c.model.onnx.ModelMetadata;
import ma3c.model.onnx.ModelRefusedException;
import ma3c.model.onnx.OnnxPolicy;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Plays an exported policy against the env service and prints its scores. */
@Command(name = "play", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
    description = "Play an exported ONNX policy for N episodes; optionally record one as a GIF.")
public final class PlayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Option(names = "--model", required = true, description = "An exported <game>.onnx.") Path model;
  @Option(names = "--episodes", defaultValue = "10", description = "At least 1; default ${DEFAULT-VALUE}.") int episodes;
  @Option(names = "--greedy", description = "Most probable action instead of sampling.") boolean greedy;
  @Option(names = "--env", description = "Env service host:port (default: embedded in-process).") String env;
  @Mixin
  RomDirOption roms;
  /** TLS and token for --env. */
  @picocli.CommandLine.Mixin ClientSecurityOptions envSecurity;
  @Option(names = "--seed", defaultValue = "1") long seed;
  @Option(names = "--gif", description = "Record the first episode as an animated GIF here.") Path gif;
  @Option(names = "--max-steps", defaultValue = "27000", description = "Steps per episode at most; default ${DEFAULT-VALUE}.") int maxSteps;

  @Override
  public Integer call() throws Exception {
    OptionChecks.file(spec, "--model", model);
    OptionChecks.atLeast(spec, "--episodes", episodes, 1);
    OptionChecks.atLeast(spec, "--max-steps", maxSteps, 1);
    OptionChecks.HostPort remote = env == null ? null : OptionChecks.hostPort(spec, "--env", env);
    if (remote == null && envSecurity.given()) {
      throw OptionChecks.usage(spec,
          "--tls-ca and --token-file are for --env endpoints; the embedded env service needs neither");
    }
    if (roms.given() != null) {
      OptionChecks.directory(spec, "--rom-dir", roms.given());
    }
    if (gif != null && Files.isDirectory(gif)) {
      throw OptionChecks.usage(spec, "--gif " + gif + ": a directory; name the file, e.g. "
          + gif.resolve("episode.gif"));
    }
    if (gif != null && gif.toAbsolutePath().getParent() != null) {
      OptionChecks.directory(spec, "--gif's directory", gif.toAbsolutePath().getParent());
    }
    try (OnnxPolicy policy = load(); Env connection = connect(remote, policy.metadata().game())) {
      try (EnvSession session = EnvSession.open(connection.channel(), policy.metadata().game(),
          config(policy.metadata()))) {
        requireFits(policy, session.spec());
        play(policy, session);
      } catch (EnvException e) {
        throw new CommandFailedException(connection.name() + ": " + e.code() + ": " + e.getMessage(), e);
      } catch (StatusRuntimeException e) {
        throw new CommandFailedException(connection.name() + ": " + e.getStatus().getCode()
            + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription()), e);
      }
    }
    return 0;
  }

  /** A channel to the env service, and the embedded one when there is no --env. */
  private record Env(ManagedChannel channel, EmbeddedEnvService embedded, String name) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      channel.shutdownNow();
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private Env connect(OptionChecks.HostPort remote, String game)
      throws CommandFailedException, IOException {
    if (remote != null) {
      return new Env(NettyChannelBuilder.forAddress(remote.host(), remote.port(),
          envSecurity.security().credentials()).build(), null, "env service at " + env);
    }
    Path roms = LocalGames.romDir(this.roms.given());
    requireRom(roms, game);
    EmbeddedEnvService embedded = EmbeddedEnvService.start(roms);
    return new Env(embedded.channelBuilder().build(), embedded, "embedded env service");
  }

  private OnnxPolicy load() throws CommandFailedException, IOException {
    try {
      return new OnnxPolicy(model);
    } catch (ModelRefusedException e) {
      throw new CommandFailedException("cannot use " + model + ": " + e.getMessage(), e);
    }
  }

  /** Says so before starting the embedded env, which would only answer NOT_FOUND. */
  private static void requireRom(Path roms, String game) throws CommandFailedException {
    String missing = LocalGames.missingRom(roms, game);
    if (missing != null) {
      throw new CommandFailedException(missing);
    }
  }

  /** The env settings the model was trained with; scores count whole games, whatever training did. */
  private EnvConfig config(ModelMetadata meta) throws CommandFailedException {
    try {
      return ModelFit.trainedConfig(meta).toBuilder().setTerminalOnLifeLoss(false).setSeed(seed).build();
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException("cannot use " + model + ": " + e.getMessage(), e);
    }
  }

  private static void requireFits(OnnxPolicy policy, EnvSpec game) throws CommandFailedException {
    try {
      ModelFit.requireFits(policy, game);
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException(e.getMessage(), e);
    }
  }

  private void play(OnnxPolicy policy, EnvSession session)
      throws EnvException, OrtException, CommandFailedException {
    PrintWriter out = spec.commandLine().getOut();
    EpisodePlayer player = new EpisodePlayer(policy, session, greedy, maxSteps);
    SplittableRandom random = new SplittableRandom(seed);
    int[] shape = policy.observationShape();
    double total = 0;
    for (int e = 0; e < episodes; e++) {
      EpisodePlayer.Result result;
      try {
        // Only a recorded episode writes anything.
        result = e == 0 && gif != null ? playRecorded(player, random, shape)
            : player.play(OptionalLong.empty(), random);
      } catch (IOException ex) {
        throw new CommandFailedException("cannot write " + gif + ": " + ex.getMessage(), ex);
      }
      total += result.score();
      out.printf("episode %d: score %.0f in %d steps%n", e + 1, result.score(), result.steps());
      if (e == 0 && gif != null) {
        out.printf("recorded %d frames to %s%n", result.steps() + 1, gif.toAbsolutePath());
      }
      out.flush();
    }
    out.printf("%s: mean score %.2f over %d episodes (%s)%n", policy.metadata().game(),
        total / episodes, episodes, greedy ? "greedy" : "sampled");
    out.flush();
  }

  /**
   * The episode, streamed frame by frame into a temporary file beside --gif that replaces it
   * only once the episode is whole (a failure leaves the old file, never half a GIF).
   */
  private EpisodePlayer.Result playRecorded(EpisodePlayer player, SplittableRandom random, int[] shape)
      throws EnvException, OrtException, IOException {
    Path target = gif.toAbsolutePath();
    Path partial = target.resolveSibling("." + target.getFileName() + ".tmp");
    try {
      EpisodePlayer.Result result;
      try (GifWriter recorder = new GifWriter(partial, shape[1], shape[2], 3, 50)) {
        result = player.play(OptionalLong.empty(), random, recorder);
      }
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return result;
    } finally {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // best effort: the file is hidden and replaced by the next recording
      }
    }
  }
}
