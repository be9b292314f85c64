package ma3c.learner.monitor;

import ma3c.learner.algo.LearnerEvents;
import ma3c.learner.algo.Phase;
import ma3c.learner.algo.RolloutLoss;
import ma3c.learner.algo.SharedModel;

/** One actor-learner thread's events, into the run's phase times, trunk probe and loss meter. */
public final class ThreadMonitor implements LearnerEvents {
  private final PhaseTimes phases;
  private final TrunkProbe probe;
  private final LossMeter losses;
  private long lapStart = System.nanoTime();

  public ThreadMonitor(PhaseTimes phases, TrunkProbe probe, LossMeter losses) {
    this.phases = phases;
    this.probe = probe;
    this.losses = losses;
  }

  /** Charges the time since the previous phase ended to {@code phase}. */
  @Override
  public void phaseEnded(Phase phase) {
    long now = System.nanoTime();
    phases.add(phase, now - lapStart);
    lapStart = now;
  }

  @Override
  public void observed(String game, byte[] observation) {
    probe.offer(game, observation);
  }

  @Override
  public void updated(String game, int steps, RolloutLoss loss, SharedModel.Clip clip) {
    losses.add(game, steps, loss.policy(), loss.value(), loss.entropy(), clip.norm(),
        clip.clipped(), clip.blockNorms());
  }
}
