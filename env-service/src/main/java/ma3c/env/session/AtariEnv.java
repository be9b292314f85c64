package ma3c.env.session;

import com.google.protobuf.UnsafeByteOperations;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.Random;
import ma3c.env.ale.AtariActions;
import ma3c.env.ale.AtariEmulator;
import ma3c.env.ale.RomException;
import ma3c.env.contract.EnvException;
import ma3c.env.preprocess.FrameGrabber;
import ma3c.env.v1.ActionSet;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EnvSpec;
import ma3c.env.v1.Observation;
import ma3c.env.v1.ResetResponse;
import ma3c.env.v1.StepInfo;
import ma3c.env.v1.StepResponse;

/**
 * An Atari game as a Gymnasium-style environment: frame skip with max-pooling, sticky actions
 * (inside ALE), no-op and FIRE starts, a frame cap reported as truncation, and optional life-loss
 * episodes that continue the same game on the next reset.
 */
public final class AtariEnv implements GameEnv {
  private final String game;
  private final EnvConfig config;
  private final AtariEmulator emulator;
  private final FrameGrabber frames;
  private final int[] actions;
  private final boolean fireOnReset;
  private final EnvSpec spec;
  private final Random noops;

  private Phase phase = Phase.NEEDS_RESET;
  private double gameReturn;
  private int gameLength;
  private int lives;

  private enum Phase { NEEDS_RESET, RUNNING, LIFE_LOST, ENDED }

  /** {@code config} must be resolved (see EnvConfigs.resolve). */
  public AtariEnv(String game, Path rom, EnvConfig config) throws RomException {
    this.game = game;
    this.config = config;
    this.emulator = new AtariEmulator(rom, config.getRepeatActionProbability(),
        EnvConfigs.aleSeed(config.getSeed()));
    this.frames = new FrameGrabber(config.getObservationFormat());
    int[] minimal = emulator.minimalActions();
    this.actions = config.getActionSet() == ActionSet.FULL ? fullActionSet() : minimal;
    this.fireOnReset = config.getFireOnReset() && needsFire(minimal);
    this.noops = new Random(config.getSeed());
    this.spec = buildSpec();
  }

  /** Games whose minimal action set has FIRE need it to (re)start play, as in DeepMind's setup. */
  public static boolean needsFire(int[] minimalActions) {
    for (int a : minimalActions) {
      if (a == AtariActions.FIRE) {
        return true;
      }
    }
    return false;
  }

  private static int[] fullActionSet() {
    int[] all = new int[AtariActions.FULL_ACTION_COUNT];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return all;
  }

  private EnvSpec buildSpec() {
    EnvSpec.Builder s = EnvSpec.newBuilder()
        .setGame(game)
        .setObservation(ContractFields.pixels(frames.shape()))
        .setActionCount(actions.length)
        .setConfig(config);
    for (int a : actions) {
      s.addActionMeanings(AtariActions.MEANINGS.get(a));
    }
    return s.build();
  }

  @Override
  public EnvSpec spec() {
    return spec;
  }

  @Override
  public ResetResponse reset(OptionalLong seed) throws EnvException {
    if (seed.isPresent()) {
      emulator.reseed(EnvConfigs.aleSeed(seed.getAsLong()));
      noops.setSeed(seed.getAsLong());
      phase = Phase.NEEDS_RESET;
    }
    byte[] observation;
    if (phase == Phase.LIFE_LOST) {
      // Same game, next life: only the FIRE that relaunches play.
      observation = fireOnReset ? startStep(AtariActions.FIRE) : frames.observe(emulator, false);
    } else {
      observation = newGame();
    }
    phase = Phase.RUNNING;
    return ResetResponse.newBuilder()
        .setObservation(observation(observation))
        .setInfo(info(false, false))
        .build();
  }

  private byte[] newGame() {
    emulator.resetGame();
    gameReturn = 0;
    gameLength = 0;
    byte[] observation = frames.observe(emulator, false);
    int noopSteps = config.getNoopMax() > 0 ? noops.nextInt(config.getNoopMax() + 1) : 0;
    for (int i = 0; i < noopSteps; i++) {
      observation = startStep(AtariActions.NOOP);
      if (emulator.gameOver()) {
        emulator.resetGame();
      }
    }
    if (fireOnReset) {
      observation = startStep(AtariActions.FIRE);
      if (emulator.gameOver()) {
        emulator.resetGame();
        observation = frames.observe(emulator, false);
      }
    }
    lives = emulator.lives();
    return observation;
  }

  /** A step taken by reset itself: its reward does not count toward the episode. */
  private byte[] startStep(int aleAction) {
    return repeat(aleAction).observation;
  }

  @Override
  public StepResponse step(int action) throws EnvException {
    switch (phase) {
      case NEEDS_RESET -> throw EnvException.failedPrecondition("step before reset: call reset first");
      case LIFE_LOST, ENDED ->
          throw EnvException.failedPrecondition("the episode has ended: call reset before stepping");
      default -> { }
    }
    if (action < 0 || action >= actions.length) {
      throw EnvException.invalidArgument(
          "action " + action + " out of range [0, " + actions.length + ") for " + game);
    }
    Frames played = repeat(actions[action]);
    gameReturn += played.reward;
    gameLength++;
    int livesNow = emulator.lives();
    boolean lifeLost = livesNow < lives;
    lives = livesNow;
    boolean gameOver = emulator.gameOver();
    boolean truncated = !gameOver && capReached();
    boolean terminated = gameOver || (lifeLost && config.getTerminalOnLifeLoss());
    if (gameOver || truncated) {
      phase = Phase.ENDED;
    } else if (terminated) {
      phase = Phase.LIFE_LOST;
    }
    return ContractFields.withState(StepResponse.newBuilder(), terminated, truncated)
        .setObservation(observation(played.observation))
        .setReward(played.reward)
        .setInfo(info(lifeLost, gameOver || truncated))
        .build();
  }

  private record Frames(byte[] observation, float reward) {}

  /** Repeats one ALE action for frame_skip frames, stopping early at game over or the cap. */
  private Frames repeat(int aleAction) {
    int skip = config.getFrameSkip();
    int reward = 0;
    boolean pooled = false;
    for (int i = 0; i < skip; i++) {
      if (i == skip - 1 && skip > 1 && config.getMaxPool()) {
        frames.grabPrevious(emulator);
        pooled = true;
      }
      reward += emulator.act(aleAction);
      if (emulator.gameOver() || capReached()) {
        break;
      }
    }
    return new Frames(frames.observe(emulator, pooled), reward);
  }

  private boolean capReached() {
    int cap = config.getMaxEpisodeFrames();
    return cap > 0 && emulator.episodeFrameNumber() >= cap;
  }

  private StepInfo info(boolean lifeLost, boolean gameEnded) {
    StepInfo.Builder info = StepInfo.newBuilder()
        .setLives(emulator.lives())
        .setEpisodeFrameNumber(emulator.episodeFrameNumber())
        .setLifeLost(lifeLost)
        .setGameOver(gameEnded);
    if (gameEnded) {
      info.setEpisodeReturn(gameReturn).setEpisodeLength(gameLength);
    }
    return info.build();
  }

  private static Observation observation(byte[] data) {
    // FrameGrabber hands out a fresh array per observation, so wrapping without a copy is safe.
    return Observation.newBuilder().setData(UnsafeByteOperations.unsafeWrap(data)).build();
  }

  @Override
  public void close() {
    emulator.close();
  }
}
