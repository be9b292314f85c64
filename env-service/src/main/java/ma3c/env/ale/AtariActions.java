package ma3c.env.ale;

import java.util.List;

/** ALE's 18 joystick actions, by index. */
public final class AtariActions {
  /** Names in ALE's order, as ale-py and Gymnasium print them. */
  public static final List<String> MEANINGS = List.of(
      "NOOP", "FIRE", "UP", "RIGHT", "LEFT", "DOWN",
      "UPRIGHT", "UPLEFT", "DOWNRIGHT", "DOWNLEFT",
      "UPFIRE", "RIGHTFIRE", "LEFTFIRE", "DOWNFIRE",
      "UPRIGHTFIRE", "UPLEFTFIRE", "DOWNRIGHTFIRE", "DOWNLEFTFIRE");

  public static final int NOOP = 0;
  public static final int FIRE = 1;
  public static final int FULL_ACTION_COUNT = MEANINGS.size();

  private AtariActions() {}
}
