package ma3c.learner.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.util.function.Function;
import ma3c.learner.algo.Freeze;
import ma3c.model.Architecture;
import ma3c.runformat.RunJson;

/**
 * The one JSON codec of run files (config, metrics lines, checkpoint metadata): the run format's
 * {@link RunJson} (numbers that are not finite written as {@code null}, read back as NaN), with
 * the run configuration's enums written as their ids ("ma3c-2", "trunk", "adaptive"), as the
 * strings earlier builds wrote.
 */
public final class Json {
  public static final Gson PRETTY = builder().setPrettyPrinting().create();
  public static final Gson LINE = builder().create();

  private Json() {}

  private static GsonBuilder builder() {
    return RunJson.builder()
        .registerTypeAdapter(Architecture.class, byId(Architecture::id, Architecture::of))
        .registerTypeAdapter(Freeze.class, byId(Freeze::id, Freeze::of))
        .registerTypeAdapter(RunConfig.AllocationMode.class,
            byId(RunConfig.AllocationMode::id, RunConfig.AllocationMode::of));
  }

  private static <E> TypeAdapter<E> byId(Function<E, String> id, Function<String, E> of) {
    return new TypeAdapter<E>() {
      @Override
      public void write(JsonWriter out, E value) throws IOException {
        if (value == null) {
          out.nullValue();
        } else {
          out.value(id.apply(value));
        }
      }

      @Override
      public E read(JsonReader in) throws IOException {
        if (in.peek() == JsonToken.NULL) {
          in.nextNull();
          return null;
        }
        return of.apply(in.nextString());
      }
    };
  }
}
