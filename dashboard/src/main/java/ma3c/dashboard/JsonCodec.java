package ma3c.dashboard;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;

/**
 * The API's JSON: a number that is not finite (a loss over an interval without updates, a score
 * before the first episode) is written as null, which the page's charts draw as a gap.
 */
final class JsonCodec {
  static final Gson GSON = new GsonBuilder().serializeNulls()
      .registerTypeAdapter(Double.class, new FiniteOrNull())
      .registerTypeAdapter(double.class, new FiniteOrNull())
      .create();

  private JsonCodec() {}

  private static final class FiniteOrNull extends TypeAdapter<Double> {
    @Override
    public void write(JsonWriter out, Double value) throws IOException {
      if (value == null || !Double.isFinite(value)) {
        out.nullValue();
      } else {
        out.value(value.doubleValue());
      }
    }

    @Override
    public Double read(JsonReader in) {
      throw new UnsupportedOperationException("the dashboard only writes JSON");
    }
  }
}
