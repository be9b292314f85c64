package ma3c.learner.evaluate;

import ai.onnxruntime.OrtException;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import ma3c.cli.CommandFailedException;
import ma3c.env.client.EnvSession;
import ma3c.env.contract.EnvException;
import ma3c.env.v1.EnvConfig;
import ma3c.learner.env.EnvEndpoints;
import ma3c.learner.play.EpisodePlayer;
import ma3c.model.onnx.OnnxPolicy;

/**
 * Plays planned episodes on a number of threads, each thread with an env session per game of its
 * own (opened at its first episode of that game, reused for the next). An episode's outcome
 * depends only on its plan entry (env seed, action draws), never on which thread played it or
 * when, so the results are the same with any number of threads.
 */
final class EpisodeWorkers {
  /** One episode to play: the {@code index}-th of its game, its env's seed and its action draws. */
  record Planned(String game, int index, long envSeed, SplittableRandom actions) {}

  /** Told of each episode as it ends, on the thread that played it. */
  interface Progress {
    void finished(Planned episode, EpisodePlayer.Result result);
  }

  private final EnvEndpoints env;
  private final String envName;
  private final Map<String, OnnxPolicy> policies;
  private final Map<String, EnvConfig> configs;
  private final boolean greedy;

  /**
   * @param envName how failures name the env service ("embedded env service", "env service at ...")
   * @param configs per game, the env config its sessions open with
   */
  EpisodeWorkers(EnvEndpoints env, String envName, Map<String, OnnxPolicy> policies,
      Map<String, EnvConfig> configs, boolean greedy) {
    this.env = env;
    this.envName = envName;
    this.policies = policies;
    this.configs = configs;
    this.greedy = greedy;
  }

  /**
   * Plays every planned episode and returns the results in plan order. The first failure stops
   * the other threads and is thrown as one line naming the env service or ONNX Runtime.
   */
  List<EpisodePlayer.Result> play(List<Planned> plan, int threads, Progress progress)
      throws CommandFailedException, InterruptedException {
    EpisodePlayer.Result[] results = new EpisodePlayer.Result[plan.size()];
    AtomicInteger next = new AtomicInteger();
    int workers = Math.min(threads, plan.size());
    AtomicInteger names = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "evaluate-" + names.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    CompletionService<Void> done = new ExecutorCompletionService<>(pool);
    try {
      for (int w = 0; w < workers; w++) {
        int channel = w;
        done.submit(() -> work(channel, plan, next, results, progress));
      }
      for (int w = 0; w < workers; w++) {
        try {
          done.take().get();
        } catch (ExecutionException e) {
          rethrow(e.getCause());
        }
      }
    } finally {
      // Interrupts the others' env calls (CANCELLED), so a failure ends them within a step.
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
    return Arrays.asList(results);
  }

  private Void work(int channel, List<Planned> plan, AtomicInteger next,
      EpisodePlayer.Result[] results, Progress progress) throws Exception {
    Map<String, EpisodePlayer> players = new HashMap<>();
    List<EnvSession> sessions = new ArrayList<>();
    try {
      for (int i = next.getAndIncrement(); i < plan.size(); i = next.getAndIncrement()) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        Planned episode = plan.get(i);
        EpisodePlayer player = players.get(episode.game());
        if (player == null) {
          EnvSession session = EnvSession.open(env.forThread(channel), episode.game(),
              configs.get(episode.game()));
          sessions.add(session);
          // The env's frame cap ends every episode: no step limit of its own.
          player = new EpisodePlayer(policies.get(episode.game()), session, greedy, Integer.MAX_VALUE);
          players.put(episode.game(), player);
        }
        results[i] = player.play(OptionalLong.of(episode.envSeed()), episode.actions());
        progress.finished(episode, results[i]);
      }
    } finally {
      sessions.forEach(EnvSession::close);
    }
    return null;
  }

  /** A worker's failure as the command reports it: one line naming what failed. */
  private void rethrow(Throwable cause) throws CommandFailedException, InterruptedException {
    if (cause instanceof StatusRuntimeException e) {
      throw new CommandFailedException(envName + ": " + e.getStatus().getCode()
          + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription()), e);
    }
    if (cause instanceof EnvException e) {
      throw new CommandFailedException(envName + ": " + e.code() + ": " + e.getMessage(), e);
    }
    if (cause instanceof OrtException e) {
      throw new CommandFailedException("ONNX Runtime failed on a decision: " + e.getMessage(), e);
    }
    if (cause instanceof InterruptedException e) {
      throw e;
    }
    if (cause instanceof RuntimeException e) {
      throw e;
    }
    if (cause instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(cause);
  }
}
