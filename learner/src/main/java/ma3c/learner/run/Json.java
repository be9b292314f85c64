package ma3c.learner.run;

import com.google.gson.Gson;
import ma3c.runformat.RunJson;

/**
 * The one JSON codec of run files (config, metrics lines, checkpoint metadata): the run format's
 * {@link RunJson}. Numbers that are not finite (a mean before the first episode, a diverged loss)
 * are written as {@code null} and read back as NaN, so every file is valid JSON for any reader.
 */
public final class Json {
  public static final Gson PRETTY = RunJson.PRETTY;
  public static final Gson LINE = RunJson.LINE;

  private Json() {}
}
