package ma3c.learner.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** The one JSON codec of run files (config, metrics lines, checkpoint metadata). */
public final class Json {
  public static final Gson PRETTY = new GsonBuilder().setPrettyPrinting()
      .serializeSpecialFloatingPointValues().create();
  public static final Gson LINE = new GsonBuilder().serializeSpecialFloatingPointValues().create();

  private Json() {}
}
