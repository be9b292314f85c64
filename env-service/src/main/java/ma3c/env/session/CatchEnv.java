package ma3c.env.session;

import com.google.protobuf.UnsafeByteOperations;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import ma3c.env.ale.AtariActions;
import ma3c.env.contract.EnvException;
import ma3c.env.v1.ActionSet;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.EnvSpec;
import ma3c.env.v1.Observation;
import ma3c.env.v1.ObservationFormat;
import ma3c.env.v1.ResetResponse;
import ma3c.env.v1.StepInfo;
import ma3c.env.v1.StepResponse;

/**
 * "catch", a built-in game small enough to learn in minutes, drawn as 84x84 gray frames so that
 * it exercises the same network as Atari: a ball falls one cell a step down a 12x12 board from a
 * random column; a 3-cell paddle on the bottom row moves left, right or stays. Catching the ball
 * pays +1, missing it -1, and either ends the episode (11 steps). Frame skip, sticky actions and
 * no-op starts do not apply; the frame cap and the seed do. Like every game, it takes ALE's 18
 * joystick actions under ActionSet.FULL (any LEFT moves left, any RIGHT moves right), so that a
 * client can use one action space for all the games.
 */
public final class CatchEnv implements GameEnv {
  public static final String NAME = "catch";
  public static final List<String> ACTIONS = List.of("NOOP", "LEFT", "RIGHT");
  private static final int CELLS = 12;
  private static final int PIXELS_PER_CELL = 7;
  private static final int SIZE = CELLS * PIXELS_PER_CELL;
  private static final byte BALL = (byte) 255;
  private static final byte PADDLE = (byte) 160;

  private final EnvConfig config;
  private final List<String> actions;
  private final EnvSpec spec;
  private final SplittableRandom seeds;
  private SplittableRandom random;
  private int ballRow;
  private int ballCol;
  private int paddleCol;
  private int steps;
  private boolean running;

  /** {@code config} must be resolved; only GRAY_84 observations exist for this game. */
  public CatchEnv(EnvConfig config) throws EnvException {
    if (config.getObservationFormat() != ObservationFormat.GRAY_84) {
      throw EnvException.invalidArgument("catch only has GRAY_84 observations");
    }
    this.config = config;
    this.actions = config.getActionSet() == ActionSet.FULL ? AtariActions.MEANINGS : ACTIONS;
    this.seeds = new SplittableRandom(config.getSeed());
    this.random = seeds.split();
    this.spec = EnvSpec.newBuilder()
        .setGame(NAME)
        .setObservation(ContractFields.pixels(SIZE, SIZE))
        .setActionCount(actions.size())
        .addAllActionMeanings(actions)
        .setConfig(config)
        .build();
  }

  @Override
  public EnvSpec spec() {
    return spec;
  }

  @Override
  public ResetResponse reset(OptionalLong seed) {
    if (seed.isPresent()) {
      random = new SplittableRandom(seed.getAsLong()).split();
    }
    ballRow = 0;
    ballCol = random.nextInt(CELLS);
    paddleCol = 1 + random.nextInt(CELLS - 2);
    steps = 0;
    running = true;
    return ResetResponse.newBuilder().setObservation(draw()).setInfo(info(false, 0)).build();
  }

  @Override
  public StepResponse step(int action) throws EnvException {
    if (!running) {
      throw EnvException.failedPrecondition(steps == 0 ? "step before reset: call reset first"
          : "the episode has ended: call reset before stepping");
    }
    if (action < 0 || action >= actions.size()) {
      throw EnvException.invalidArgument(
          "action " + action + " out of range [0, " + actions.size() + ") for catch");
    }
    paddleCol = Math.max(1, Math.min(CELLS - 2, paddleCol + move(actions.get(action))));
    ballRow++;
    steps++;
    boolean landed = ballRow == CELLS - 1;
    float reward = landed ? (Math.abs(ballCol - paddleCol) <= 1 ? 1f : -1f) : 0f;
    int cap = config.getMaxEpisodeFrames();
    boolean truncated = !landed && cap > 0 && steps >= cap;
    running = !landed && !truncated;
    return ContractFields.withState(StepResponse.newBuilder(), landed, truncated)
        .setObservation(draw())
        .setReward(reward)
        .setInfo(info(!running, landed ? reward : 0))
        .build();
  }

  /** The paddle's move for an action name: any LEFT is left, any RIGHT right, the rest stay. */
  private static int move(String action) {
    return action.contains("LEFT") ? -1 : action.contains("RIGHT") ? 1 : 0;
  }

  private StepInfo info(boolean ended, double episodeReturn) {
    StepInfo.Builder info = StepInfo.newBuilder().setLives(1).setEpisodeFrameNumber(steps)
        .setGameOver(ended);
    if (ended) {
      info.setEpisodeReturn(episodeReturn).setEpisodeLength(steps);
    }
    return info.build();
  }

  private Observation draw() {
    byte[] pixels = new byte[SIZE * SIZE];
    fill(pixels, ballRow, ballCol, 1, BALL);
    fill(pixels, CELLS - 1, paddleCol - 1, 3, PADDLE);
    return Observation.newBuilder().setData(UnsafeByteOperations.unsafeWrap(pixels)).build();
  }

  private static void fill(byte[] pixels, int row, int col, int width, byte value) {
    for (int y = row * PIXELS_PER_CELL; y < (row + 1) * PIXELS_PER_CELL; y++) {
      int from = y * SIZE + col * PIXELS_PER_CELL;
      java.util.Arrays.fill(pixels, from, from + width * PIXELS_PER_CELL, value);
    }
  }

  @Override
  public void close() {
    running = false;
  }
}
