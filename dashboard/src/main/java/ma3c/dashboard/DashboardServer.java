package ma3c.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import ma3c.cli.CommandFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard: the page and its JSON API on the JDK's HTTP server (a handful of small
 * responses every few seconds need no web framework). The page polls the API; the API reads the
 * run directories incrementally and answers with downsampled curves.
 *
 * <pre>
 * GET /api/runs                       the runs: config, status, frames, frames/s, ETA
 * GET /api/runs/{id}/curves?points=N  per game, mean return of the last 100 episodes vs frames
 * GET /api/runs/{id}/metrics?points=N frames/s, learning rate, per game losses, entropy, threads
 * GET /api/bands?runs=a,b&amp;points=N     per experiment arm among these runs, its band over seeds
 * </pre>
 */
public final class DashboardServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);
  static final int DEFAULT_POINTS = 400;
  static final int MAX_POINTS = 5000;

  private final HttpServer server;
  private final ExecutorService threads;
  private final RunScanner scanner;
  private final StaticAssets assets = new StaticAssets();

  private DashboardServer(HttpServer server, ExecutorService threads, RunScanner scanner) {
    this.server = server;
    this.threads = threads;
    this.scanner = scanner;
  }

  /** Serves the runs in or under {@code roots} at {@code address} (port 0: any free port). */
  public static DashboardServer start(InetSocketAddress address, List<Path> roots)
      throws CommandFailedException, IOException {
    HttpServer http;
    try {
      http = HttpServer.create(address, 0);
    } catch (BindException e) {
      String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
      throw new CommandFailedException("cannot serve the dashboard on " + host + ":" + address.getPort()
          + " (" + e.getMessage() + "): choose another port", e);
    }
    AtomicInteger n = new AtomicInteger();
    ThreadFactory daemons = r -> {
      Thread t = new Thread(r, "dashboard-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    ExecutorService pool = Executors.newFixedThreadPool(4, daemons);
    DashboardServer dashboard = new DashboardServer(http, pool, new RunScanner(roots));
    http.createContext("/", dashboard::handle);
    http.setExecutor(pool);
    http.start();
    return dashboard;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The page's address, e.g. http://127.0.0.1:8080/ (a wildcard bind is shown as localhost). */
  public String url() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().isAnyLocalAddress() ? "localhost" : a.getAddress().getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  /** A response, made before anything is sent: a client gone meanwhile fails only the sending. */
  private record Response(int status, String contentType, byte[] body) {}

  private void handle(HttpExchange exchange) {
    try (exchange) {
      Response response = respond(exchange);
      try {
        send(exchange, response);
      } catch (IOException clientGone) {
        log.debug("dashboard: {} not sent: {}", exchange.getRequestURI(), clientGone.toString());
      }
    }
  }

  private Response respond(HttpExchange exchange) {
    if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
      return error(405, "GET only");
    }
    String path = exchange.getRequestURI().getPath();
    try {
      if (path.startsWith("/api/")) {
        return api(path.substring("/api/".length()), query(exchange));
      }
      StaticAssets.Asset asset = assets.get(path);
      return asset == null ? error(404, "no such page: " + path)
          : new Response(200, asset.contentType(), asset.body());
    } catch (IllegalArgumentException badRequest) {
      return error(400, badRequest.getMessage());
    } catch (IOException | RuntimeException e) {
      log.warn("dashboard: {} failed: {}", path, e.toString());
      return error(500, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  private Response api(String route, Map<String, String> query) throws IOException {
    String[] parts = route.split("/", -1);
    if (parts.length == 1 && parts[0].equals("runs")) {
      List<Run.Summary> runs = new ArrayList<>();
      for (Run r : scanner.scan()) {
        runs.add(r.summary());
      }
      return json(Map.of("roots", scanner.roots().stream().map(Path::toString).toList(), "runs", runs));
    }
    if (parts.length == 3 && parts[0].equals("runs")) {
      Run run = scanner.find(parts[1]);
      if (run == null) {
        return error(404, "no run " + parts[1]);
      }
      if (parts[2].equals("curves")) {
        return json(run.curves(points(query)));
      }
      if (parts[2].equals("metrics")) {
        return json(run.metrics(points(query)));
      }
    }
    if (parts.length == 1 && parts[0].equals("bands")) {
      return json(Map.of("groups", bands(query.getOrDefault("runs", ""), points(query))));
    }
    return error(404, "no such page: /api/" + route);
  }

  /** An experiment arm's band over the seeds among {@code ids}. */
  record Group(String group, List<String> runs, Map<String, SeedBand.Band> games) {}

  /** Per arm with two or more of these runs, per game they play, the band over their seeds. */
  private List<Group> bands(String ids, int points) throws IOException {
    Map<String, List<Run.Curves>> arms = new LinkedHashMap<>();
    for (String id : ids.split(",")) {
      Run run = id.isBlank() ? null : scanner.find(id);
      if (run != null) {
        arms.computeIfAbsent(Run.group(run.name()), g -> new ArrayList<>()).add(run.curves(points));
      }
    }
    List<Group> out = new ArrayList<>();
    arms.forEach((arm, runs) -> {
      if (runs.size() < 2) {
        return;
      }
      Map<String, List<List<FrameBuckets.Point>>> perGame = new LinkedHashMap<>();
      for (Run.Curves c : runs) {
        c.games().forEach((game, curve) -> {
          if (!curve.isEmpty()) {
            perGame.computeIfAbsent(game, g -> new ArrayList<>()).add(curve);
          }
        });
      }
      Map<String, SeedBand.Band> games = new LinkedHashMap<>();
      perGame.forEach((game, curves) -> {
        if (curves.size() >= 2) {
          games.put(game, SeedBand.of(curves, points));
        }
      });
      out.add(new Group(arm, runs.stream().map(Run.Curves::id).toList(), games));
    });
    return out;
  }

  static int points(Map<String, String> query) {
    String value = query.get("points");
    if (value == null) {
      return DEFAULT_POINTS;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= 2 && n <= MAX_POINTS) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("points must be 2.." + MAX_POINTS + ", got " + value);
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static Response json(Object body) {
    return new Response(200, "application/json; charset=utf-8",
        JsonCodec.GSON.toJson(body).getBytes(StandardCharsets.UTF_8));
  }

  private static Response error(int status, String message) {
    return new Response(status, "application/json; charset=utf-8",
        JsonCodec.GSON.toJson(Map.of("error", message)).getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, Response r) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", r.contentType());
    // Live data: the browser asks again each time, never shows a stale copy.
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(r.status(), head || r.body().length == 0 ? -1 : r.body().length);
    if (!head && r.body().length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(r.body());
      }
    }
  }
}
