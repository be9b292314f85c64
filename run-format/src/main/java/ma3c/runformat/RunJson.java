package ma3c.runformat;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;

/**
 * The one JSON codec of run files (config, episode and metrics lines, checkpoint metadata).
 * Numbers that are not finite (a mean before the first episode, a diverged loss) are written as
 * {@code null} and read back as NaN, so every file is valid JSON for any reader.
 */
public final class RunJson {
  /** config.json and other whole files. */
  public static final Gson PRETTY = builder().setPrettyPrinting().create();
  /** One line of a JSON-lines log. */
  public static final Gson LINE = builder().create();

  private RunJson() {}

  /** {@code record} as one line of a log, without its newline. */
  public static String line(Object record) {
    return LINE.toJson(record);
  }

  /** The codec's settings, for a reader that adds its own types (the learner's enums). */
  public static GsonBuilder builder() {
    TypeAdapter<Double> doubles = new FiniteOrNull<>(Double.NaN) {
      @Override
      Double read(double value) {
        return value;
      }
    };
    TypeAdapter<Float> floats = new FiniteOrNull<>(Float.NaN) {
      @Override
      Float read(double value) {
        return (float) value;
      }
    };
    // serializeNulls: otherwise Gson drops a field or map entry whose value is written as null.
    return new GsonBuilder().serializeNulls()
        .registerTypeAdapter(Double.class, doubles).registerTypeAdapter(double.class, doubles)
        .registerTypeAdapter(Float.class, floats).registerTypeAdapter(float.class, floats);
  }

  private abstract static class FiniteOrNull<T extends Number> extends TypeAdapter<T> {
    private final T nan;

    FiniteOrNull(T nan) {
      this.nan = nan;
    }

    abstract T read(double value);

    @Override
    public void write(JsonWriter out, T value) throws IOException {
      if (value == null || !Double.isFinite(value.doubleValue())) {
        out.nullValue();
      } else {
        out.value(value);
      }
    }

    @Override
    public T read(JsonReader in) throws IOException {
      if (in.peek() == JsonToken.NULL) {
        in.nextNull();
        return nan;
      }
      return read(in.nextDouble());
    }
  }
}
