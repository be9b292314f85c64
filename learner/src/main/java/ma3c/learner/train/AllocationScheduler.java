package ma3c.learner.train;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import ma3c.learner.algo.TrainingCounters;
import ma3c.learner.allocation.AllocationPolicy;
import ma3c.learner.allocation.ThreadAllocation;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.EpisodeStats;
import ma3c.learner.run.RunConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's thread allocation (--allocation): equal, or adaptive with a decision every
 * --allocation-every frames; a resumed run continues from where its checkpoint left it.
 */
final class AllocationScheduler {
  // The run's lines, under the name they have always had.
  private static final Logger log = LoggerFactory.getLogger(Trainer.class);

  private final RunConfig config;
  private final TrainingCounters counters;
  private final ThreadAllocation allocation;
  private final AllocationPolicy policy = new AllocationPolicy();
  private volatile long lastDecisionFrames;

  AllocationScheduler(RunConfig config, TrainingCounters counters, Checkpoint resume) {
    this.config = config;
    this.counters = counters;
    this.allocation = config.adaptiveAllocation()
        ? ThreadAllocation.adaptive(config.threadsPerGame())
        : ThreadAllocation.equal(config.threadsPerGame());
    this.lastDecisionFrames = counters.frames();
    Checkpoint.Allocation kept = resume == null ? null : resume.meta().allocation();
    if (config.adaptiveAllocation() && kept != null) {
      restore(kept);
    }
  }

  private void restore(Checkpoint.Allocation kept) {
    try {
      // As kept, except for games whose budget a resume raised: they get their least back.
      Set<String> done = new HashSet<>();
      config.games().stream().filter(g -> config.a3c().budgetReached(counters, g)).forEach(done::add);
      allocation.set(AllocationPolicy.settle(allocation, kept.active(), done, config.games()));
      policy.restore(kept.memory());
      lastDecisionFrames = kept.decidedAtFrames();
    } catch (IllegalArgumentException doesNotFit) {
      log.warn("the checkpoint's thread allocation {} does not fit this run's thread groups ({});"
          + " starting from them", kept.active(), doesNotFit.getMessage());
    }
  }

  ThreadAllocation allocation() {
    return allocation;
  }

  /** What a checkpoint keeps of an adaptive allocation; null for equal allocation. */
  Checkpoint.Allocation state() {
    return config.adaptiveAllocation()
        ? new Checkpoint.Allocation(allocation.active(), lastDecisionFrames, policy.memory())
        : null;
  }

  /** Adaptive allocation: a decision once --allocation-every frames have passed since the last. */
  void reallocate(EpisodeStats episodes) {
    try {
      decide(episodes);
    } catch (RuntimeException e) {
      log.error("thread allocation failed (it stays as it is)", e);
    }
  }

  private void decide(EpisodeStats episodes) {
    long frames = counters.frames();
    if (frames - lastDecisionFrames < config.allocation().everyFrames()) {
      return;
    }
    lastDecisionFrames = frames;
    Map<String, AllocationPolicy.GameState> states = new LinkedHashMap<>();
    for (String game : config.games()) {
      states.put(game, new AllocationPolicy.GameState(episodes.mean(game), episodes.count(game),
          counters.frames(game), config.a3c().budgetReached(counters, game)));
    }
    Map<String, Integer> before = allocation.active();
    Map<String, Integer> next = policy.next(allocation, states);
    if (!next.equals(before)) {
      allocation.set(next);
      log.info("threads per game: {} (score progress per M frames: {})", next, policy.lastProgress());
    }
  }
}
