package ma3c.env.embed;

import ma3c.env.contract.EnvException;
import ma3c.env.session.EnvConfigs;
import ma3c.env.v1.EnvConfig;

/** The contract's env config defaults and limits that an embedder's options check against. */
public final class EnvDefaults {
  /** max_episode_frames when a request leaves it out. */
  public static final int DEFAULT_MAX_EPISODE_FRAMES = EnvConfigs.DEFAULT_MAX_EPISODE_FRAMES;
  /** The largest noop_max the service accepts. */
  public static final int MAX_NOOP = EnvConfigs.MAX_NOOP;

  private EnvDefaults() {}

  /**
   * The complete config a session opened with {@code requested} gets (EnvSpec.config): every
   * default filled in, a seed drawn when there is none; INVALID_ARGUMENT for out-of-range values.
   */
  public static EnvConfig resolve(EnvConfig requested) throws EnvException {
    return EnvConfigs.resolve(requested);
  }
}
