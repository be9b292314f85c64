package ma3c.env.session;

import java.security.SecureRandom;
import ma3c.env.contract.EnvException;
import ma3c.env.v1.ActionSet;
import ma3c.env.v1.Compression;
import ma3c.env.v1.EnvConfig;
import ma3c.env.v1.ObservationFormat;

/** Fills in the contract's defaults (Machado et al. 2018) and rejects out-of-range values. */
public final class EnvConfigs {
  public static final int DEFAULT_FRAME_SKIP = 4;
  public static final float DEFAULT_STICKY = 0.25f;
  public static final int DEFAULT_MAX_EPISODE_FRAMES = 108_000;
  private static final int MAX_FRAME_SKIP = 64;
  public static final int MAX_NOOP = 1000;
  private static final SecureRandom SEEDS = new SecureRandom();

  private EnvConfigs() {}

  /** The complete config in force for a request: every field set, the seed too. */
  public static EnvConfig resolve(EnvConfig requested) throws EnvException {
    EnvConfig.Builder c = requested.toBuilder();
    if (!c.hasFrameSkip()) {
      c.setFrameSkip(DEFAULT_FRAME_SKIP);
    }
    if (!c.hasMaxPool()) {
      c.setMaxPool(true);
    }
    if (c.getObservationFormat() == ObservationFormat.OBSERVATION_FORMAT_UNSPECIFIED) {
      c.setObservationFormat(ObservationFormat.GRAY_84);
    }
    if (!c.hasRepeatActionProbability()) {
      c.setRepeatActionProbability(DEFAULT_STICKY);
    }
    if (!c.hasNoopMax()) {
      c.setNoopMax(0);
    }
    if (!c.hasFireOnReset()) {
      c.setFireOnReset(true);
    }
    if (c.getActionSet() == ActionSet.ACTION_SET_UNSPECIFIED) {
      c.setActionSet(ActionSet.MINIMAL);
    }
    if (!c.hasMaxEpisodeFrames()) {
      c.setMaxEpisodeFrames(DEFAULT_MAX_EPISODE_FRAMES);
    }
    if (!c.hasTerminalOnLifeLoss()) {
      c.setTerminalOnLifeLoss(false);
    }
    if (!c.hasSeed()) {
      c.setSeed(SEEDS.nextLong() & Long.MAX_VALUE);
    }
    if (c.getCompression() == Compression.COMPRESSION_UNSPECIFIED) {
      c.setCompression(Compression.NONE);
    }
    validate(c);
    return c.build();
  }

  private static void validate(EnvConfig.Builder c) throws EnvException {
    check(c.getFrameSkip() >= 1 && c.getFrameSkip() <= MAX_FRAME_SKIP,
        "frame_skip must be in [1, " + MAX_FRAME_SKIP + "], got " + c.getFrameSkip());
    float p = c.getRepeatActionProbability();
    check(p >= 0f && p <= 1f, "repeat_action_probability must be in [0, 1], got " + p);
    check(c.getNoopMax() >= 0 && c.getNoopMax() <= MAX_NOOP,
        "noop_max must be in [0, " + MAX_NOOP + "], got " + c.getNoopMax());
    check(c.getMaxEpisodeFrames() >= 0,
        "max_episode_frames must be >= 0 (0 = no cap), got " + c.getMaxEpisodeFrames());
    check(c.getObservationFormat() != ObservationFormat.UNRECOGNIZED,
        "unknown observation_format " + c.getObservationFormatValue());
    check(c.getActionSet() != ActionSet.UNRECOGNIZED,
        "unknown action_set " + c.getActionSetValue());
    check(c.getCompression() != Compression.UNRECOGNIZED,
        "unknown compression " + c.getCompressionValue());
  }

  private static void check(boolean ok, String message) throws EnvException {
    if (!ok) {
      throw EnvException.invalidArgument(message);
    }
  }

  /** ALE takes a positive 31-bit seed; a 64-bit seed is mixed down to one (SplitMix64 finaliser). */
  public static int aleSeed(long seed) {
    long z = seed + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return 1 + (int) Math.floorMod(z, (long) Integer.MAX_VALUE - 1);
  }
}
