package ma3c.env.embed;

import java.util.OptionalLong;
import ma3c.env.contract.EnvException;
import ma3c.env.session.GameEnv;
import ma3c.env.v1.EnvSpec;
import ma3c.env.v1.ResetResponse;
import ma3c.env.v1.StepResponse;

/**
 * One game stepped in this process with no service in between, answering as a session does; for
 * measurements of what the emulator alone can do. Not thread-safe: one caller at a time.
 */
public final class LocalEnv implements AutoCloseable {
  private final GameEnv env;

  LocalEnv(GameEnv env) {
    this.env = env;
  }

  public EnvSpec spec() {
    return env.spec();
  }

  /** Starts an episode, re-seeding first when a seed is given. */
  public ResetResponse reset(OptionalLong seed) throws EnvException {
    return env.reset(seed);
  }

  /** Plays one agent step; fails before reset, after the episode's end, or on a bad action. */
  public StepResponse step(int action) throws EnvException {
    return env.step(action);
  }

  /** Releases the emulator; idempotent. */
  @Override
  public void close() {
    env.close();
  }
}
