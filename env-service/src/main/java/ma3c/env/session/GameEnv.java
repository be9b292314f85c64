package ma3c.env.session;

import java.util.OptionalLong;
import ma3c.env.contract.EnvException;
import ma3c.env.v1.EnvSpec;
import ma3c.env.v1.ResetResponse;
import ma3c.env.v1.StepResponse;

/**
 * One environment, Gymnasium style. Observations come back uncompressed. Not thread-safe: one
 * caller at a time.
 */
public interface GameEnv extends AutoCloseable {
  EnvSpec spec();

  /** Starts an episode, re-seeding first when a seed is given. */
  ResetResponse reset(OptionalLong seed) throws EnvException;

  /** Plays one agent step; fails before reset, after the episode's end, or on a bad action. */
  StepResponse step(int action) throws EnvException;

  /** Releases the emulator; idempotent. */
  @Override
  void close();
}
