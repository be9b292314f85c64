package ma3c.learner.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import ma3c.env.ale.RomDirectory;
import ma3c.env.bench.EnvBenchmark;
import ma3c.env.session.GameCatalog;
import ma3c.learner.Trainer;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.run.RunConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training frames/s of the real training path (embedded env service, ONNX Runtime acting, SameDiff
 * gradients, shared RMSProp) for the FF and the LSTM net, beside what ALE alone does on the same
 * threads, measured in one run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure training frames/s (FF and LSTM) against ALE-only frames/s.")
public final class TrainingBenchmark implements Callable<Integer> {
  @Option(names = "--game", defaultValue = "pong") String game;
  @Option(names = "--threads", defaultValue = "2") int threads;
  @Option(names = "--seconds", defaultValue = "60", description = "Measured seconds per case.") int seconds;
  @Option(names = "--warmup", defaultValue = "20", description = "Seconds before measuring.") int warmup;
  @Option(names = "--rom-dir") Path romDir;

  @Override
  public Integer call() throws Exception {
    Path roms = RomDirectory.resolve(romDir);
    // Frame skip 4: four emulator frames per agent step.
    double ale = 4 * EnvBenchmark.inProcessStepsPerSecond(new GameCatalog(roms), game, threads,
        3_000, 20_000);
    System.out.printf("%s, %d threads, frame skip 4, sticky 0.25%n", game, threads);
    System.out.printf("ALE only (in-process env, random actions) : %8.0f frames/s%n", ale);
    record Case(boolean lstm, int tMax) {}
    for (Case c : new Case[] {new Case(false, 5), new Case(false, 20), new Case(true, 20)}) {
      double fps = trainingFramesPerSecond(roms, c.lstm(), c.tMax());
      System.out.printf("training, %-4s net, t_max %2d               : %8.0f frames/s (%5.0f agent steps/s)  ratio to ALE only %.2f%n",
          c.lstm() ? "LSTM" : "FF", c.tMax(), fps, fps / 4, fps / ale);
    }
    return 0;
  }

  private double trainingFramesPerSecond(Path roms, boolean lstm, int tMax) throws Exception {
    Path dir = Files.createTempDirectory("ma3c-bench");
    LinkedHashMap<String, Integer> perGame = new LinkedHashMap<>();
    perGame.put(game, threads);
    A3CConfig d = A3CConfig.defaults(lstm, Long.MAX_VALUE / 4);
    A3CConfig a3c = new A3CConfig(d.gamma(), tMax, d.entropyBeta(), d.valueCoef(), d.learningRate(),
        d.rmsAlpha(), d.rmsEpsilon(), d.gradClipNorm(), d.rewardClip(), d.frameBudget());
    RunConfig config = new RunConfig("a3c", lstm, perGame, a3c,
        List.of(), roms.toString(), 0.25f, 30, false, 1, 3600, 3600);
    Trainer trainer = new Trainer(config, dir, null);
    Thread run = new Thread(() -> {
      try {
        trainer.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "bench-trainer");
    run.start();
    Thread.sleep(warmup * 1000L);
    long f0 = trainer.counters().frames();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long f1 = trainer.counters().frames();
    double fps = (f1 - f0) / ((System.nanoTime() - t0) / 1e9);
    trainer.stop();
    run.join();
    return fps;
  }
}
