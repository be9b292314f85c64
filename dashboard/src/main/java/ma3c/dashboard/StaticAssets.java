package ma3c.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The page's files, from the classpath: this module's index.html, app.js and app.css, and uPlot
 * from its webjar (npm's package, repackaged on Maven Central), so nothing is fetched from the
 * network when the page loads. A fixed list: no request can name any other resource.
 */
final class StaticAssets {
  record Asset(byte[] body, String contentType) {}

  private static final String WEB = "/ma3c/dashboard/web/";
  private static final String UPLOT_POM = "/META-INF/maven/org.webjars.npm/uplot/pom.properties";

  private final Map<String, Asset> assets;

  StaticAssets() {
    String uplot = "/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
    assets = Map.of(
        "/", load(WEB + "index.html", "text/html; charset=utf-8"),
        "/app.js", load(WEB + "app.js", "text/javascript; charset=utf-8"),
        "/app.css", load(WEB + "app.css", "text/css; charset=utf-8"),
        "/uPlot.iife.min.js", load(uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
        "/uPlot.min.css", load(uplot + "uPlot.min.css", "text/css; charset=utf-8"));
  }

  /** The asset at this path, or null. */
  Asset get(String path) {
    return assets.get(path.equals("/index.html") ? "/" : path);
  }

  /** The webjar's version, from its Maven metadata: the pom pins it, the code does not repeat it. */
  static String uplotVersion() {
    Properties p = new Properties();
    try (InputStream in = open(UPLOT_POM)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version");
  }

  private static Asset load(String resource, String contentType) {
    try (InputStream in = open(resource)) {
      return new Asset(in.readAllBytes(), contentType);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(String resource) throws IOException {
    InputStream in = StaticAssets.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IOException("the dashboard's " + resource + " is missing from the classpath (a broken build?)");
    }
    return in;
  }
}
