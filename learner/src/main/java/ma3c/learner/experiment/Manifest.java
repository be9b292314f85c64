package ma3c.learner.experiment;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ma3c.env.embed.LocalGames;
import ma3c.learner.algo.A3CConfig;
import ma3c.learner.algo.Freeze;
import ma3c.learner.run.Json;
import ma3c.learner.run.RunConfig;
import ma3c.model.Architecture;

/**
 * One figure of the paper as an experiment: its games, its arms (A3C on each game alone, MA3C-1,
 * MA3C-2 on all of them), the threads per game, the net, the budget in frames PER GAME and the
 * seeds. Read from a JSON file that may carry comments.
 *
 * @param figure short name, also the results folder (fig4-pong-breakout)
 * @param title the figure's caption
 * @param games the panels: a game each
 * @param arms the lines of each panel
 * @param train further `ma3c train` options every arm gets (the same for all arms)
 * @param claims what the paper says of each game, for the report to judge; null: none
 */
public record Manifest(String figure, String title, List<String> games, List<Arm> arms, boolean lstm,
    int threadsPerGame, long framesPerGame, List<Long> seeds, List<String> train, List<Claim> claims) {

  /**
   * One line of the figure: a name and the architecture (a3c runs each game on its own).
   *
   * @param games the games this arm trains; null: the manifest's
   * @param initFrom a transfer arm: the name of an earlier arm (one run per seed) whose run it
   *     starts from (`ma3c train --init-from`); null: from scratch
   * @param freeze with initFrom: none, conv or trunk (`ma3c train --freeze`); null: none
   * @param train further `ma3c train` options of this arm only (e.g. --allocation adaptive)
   * @param teachersFrom a distillation arm: the name of an earlier arm whose runs' exported
   *     policies teach it (`ma3c train --teachers`, one teacher per game); null: A3C's loss
   */
  public record Arm(String name, String arch, List<String> games, String initFrom, String freeze,
      List<String> train, String teachersFrom) {
    /** The arm's games in a manifest whose panels are {@code panels}. */
    List<String> gamesOr(List<String> panels) {
      return games == null ? panels : games;
    }

    List<String> trainOptions() {
      return train == null ? List.of() : train;
    }

    String freezeId() {
      return freeze == null ? Freeze.NONE.id() : Freeze.of(freeze).id();
    }
  }

  /**
   * The paper's claim about one game: every other arm scores about {@code ratio} times the a3c
   * arm at the budget (2.0 for "about 2x", 1.0 for "about equal"). The report judges it from the
   * interval of the ratio of their mean scores.
   *
   * @param says the paper's words, quoted in the report
   */
  public record Claim(String game, Double ratio, String says) {}

  public static Manifest load(Path file) throws IOException {
    JsonElement tree;
    try (Reader in = Files.newBufferedReader(file); JsonReader json = new JsonReader(in)) {
      json.setLenient(true); // comments
      tree = JsonParser.parseReader(json);
    } catch (JsonParseException e) {
      // Gson's message is its cause's class and message, then a line pointing at its FAQ.
      String why = (e.getCause() != null ? e.getCause() : e).getMessage();
      throw new IOException(file + ": " + why.lines().findFirst().orElse(why), e);
    }
    if (tree.isJsonNull()) {
      throw new IOException(file + " is empty");
    }
    // Gson keeps the last of two equal keys; a manifest edited by hand must not lose one silently.
    String duplicate = duplicateKey(file);
    if (duplicate != null) {
      throw new IOException(file + ": " + duplicate);
    }
    // Gson would skip unknown keys and turn "x" into a NumberFormatException, [null] into a null
    // arm: the shape is checked first, so each mistake is named.
    List<String> problems = new ArrayList<>();
    objectProblems("the manifest", "", tree, Manifest.class, problems);
    if (!problems.isEmpty()) {
      throw new IOException(file + ": " + String.join("; ", problems));
    }
    return Json.LINE.fromJson(tree, Manifest.class).checked(file);
  }

  /** The first key an object of the (well-formed) JSON file holds twice, as a message; null if none. */
  private static String duplicateKey(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file); JsonReader json = new JsonReader(in)) {
      json.setLenient(true); // comments
      return duplicateKey(json, "");
    }
  }

  private static String duplicateKey(JsonReader json, String where) throws IOException {
    switch (json.peek()) {
      case BEGIN_OBJECT -> {
        json.beginObject();
        Set<String> keys = new HashSet<>();
        String found = null;
        while (json.hasNext()) {
          String key = json.nextName();
          if (!keys.add(key) && found == null) {
            found = "key " + where + key + " is given twice";
          }
          String inner = duplicateKey(json, where + key + ".");
          found = found != null ? found : inner;
        }
        json.endObject();
        return found;
      }
      case BEGIN_ARRAY -> {
        json.beginArray();
        String found = null;
        for (int i = 0; json.hasNext(); i++) {
          String inner = duplicateKey(json, where.isEmpty() ? "[" + i + "]." : where.substring(0, where.length() - 1) + "[" + i + "].");
          found = found != null ? found : inner;
        }
        json.endArray();
        return found;
      }
      default -> {
        json.skipValue();
        return null;
      }
    }
  }

  /** Unknown keys and values of the wrong JSON type in {@code json}, read as a {@code type}. */
  private static void objectProblems(String what, String prefix, JsonElement json,
      Class<? extends Record> type, List<String> problems) {
    if (!json.isJsonObject()) {
      problems.add(what + " must be an object {...}, got " + json);
      return;
    }
    Map<String, Type> known = new LinkedHashMap<>();
    for (RecordComponent c : type.getRecordComponents()) {
      known.put(c.getName(), c.getGenericType());
    }
    for (Map.Entry<String, JsonElement> entry : json.getAsJsonObject().entrySet()) {
      Type t = known.get(entry.getKey());
      if (t == null) {
        problems.add("unknown key " + prefix + entry.getKey() + " (known: "
            + String.join(", ", known.keySet()) + ")");
      } else if (!entry.getValue().isJsonNull() || t instanceof Class<?> c && c.isPrimitive()) {
        // null: as if left out, where leaving out means something
        valueProblems(prefix + entry.getKey(), entry.getValue(), t, problems);
      }
    }
  }

  private static void valueProblems(String name, JsonElement value, Type type, List<String> problems) {
    if (type instanceof ParameterizedType list) {
      if (!value.isJsonArray()) {
        problems.add(name + " must be a list [...], got " + value);
        return;
      }
      JsonArray items = value.getAsJsonArray();
      for (int i = 0; i < items.size(); i++) {
        valueProblems(name + "[" + i + "]", items.get(i), list.getActualTypeArguments()[0], problems);
      }
    } else if (type instanceof Class<?> c && c.isRecord()) {
      objectProblems(name, name + ".", value, c.asSubclass(Record.class), problems);
    } else if (type == String.class) {
      if (!(value instanceof JsonPrimitive p && p.isString())) {
        problems.add(name + " must be a string, got " + value);
      }
    } else if (type == boolean.class) {
      if (!(value instanceof JsonPrimitive p && p.isBoolean())) {
        problems.add(name + " must be true or false, got " + value);
      }
    } else if (type == Double.class) {
      if (!(value instanceof JsonPrimitive p && p.isNumber())) {
        problems.add(name + " must be a number, got " + value);
      }
    } else { // int, long, Long
      boolean isInt = type == int.class;
      if (!(value instanceof JsonPrimitive p && p.isNumber() && whole(p.getAsBigDecimal()))) {
        problems.add(name + " must be a whole number, got " + value);
      } else if (value.getAsBigDecimal().abs().compareTo(
          BigDecimal.valueOf(isInt ? Integer.MAX_VALUE : Long.MAX_VALUE)) > 0) {
        problems.add(name + " is out of range: " + value);
      }
    }
  }

  private static boolean whole(BigDecimal n) {
    return n.signum() == 0 || n.stripTrailingZeros().scale() <= 0;
  }

  /** The first value {@code values} holds twice; null when none. */
  public static <T> T twice(List<T> values) {
    Set<T> seen = new HashSet<>();
    return values.stream().filter(v -> !seen.add(v)).findFirst().orElse(null);
  }

  private Manifest checked(Path file) throws IOException {
    List<String> problems = new ArrayList<>();
    if (figure == null || !figure.matches("[a-z0-9][a-z0-9-]*")) {
      problems.add("figure must be a lower-case name like fig4-pong-breakout");
    }
    if (games == null || games.isEmpty()) {
      problems.add("games is empty");
    } else {
      gameProblems("games", games, problems);
    }
    if (arms == null || arms.isEmpty()) {
      problems.add("arms is empty");
    } else {
      List<String> earlier = new ArrayList<>();
      Set<String> played = new HashSet<>();
      for (int i = 0; i < arms.size(); i++) {
        Arm arm = arms.get(i);
        // Arms are referred to by name (initFrom, teachersFrom, the report's lines).
        String label = arm.name() == null || arm.name().isBlank() ? "arm " + (i + 1) : "arm " + arm.name();
        if (arm.name() == null || arm.name().isBlank()) {
          problems.add(label + " has no name");
        } else if (earlier.contains(arm.name())) {
          problems.add("two arms are named '" + arm.name() + "'");
        }
        try {
          problems.addAll(armProblems(arm, label, earlier));
        } catch (IllegalArgumentException e) {
          problems.add(label + ": " + e.getMessage());
        }
        earlier.add(arm.name());
        if (games != null) {
          played.addAll(arm.gamesOr(games));
        }
      }
      if (games != null && !played.containsAll(games)) {
        problems.add("no arm plays " + games.stream().filter(g -> !played.contains(g)).toList());
      }
    }
    if (threadsPerGame < 1 || threadsPerGame > RunConfig.MAX_THREADS) {
      problems.add("threadsPerGame must be in 1.." + RunConfig.MAX_THREADS + ", got " + threadsPerGame);
    }
    if (framesPerGame < 1 || framesPerGame > A3CConfig.MAX_FRAMES) {
      problems.add("framesPerGame must be in 1.." + A3CConfig.MAX_FRAMES + ", got " + framesPerGame);
    }
    if (seeds == null || seeds.isEmpty()) {
      problems.add("seeds is empty");
    } else if (twice(seeds) != null) {
      // Each seed's runs would count twice in the results.
      problems.add("seeds lists " + twice(seeds) + " twice");
    }
    if (claims != null && games != null && arms != null) {
      claimProblems(problems);
    }
    if (!problems.isEmpty()) {
      throw new IOException(file + ": " + String.join("; ", problems));
    }
    return this;
  }

  /**
   * Each claim names one of the figure's games once, with a ratio above 0 and the paper's words;
   * and there is an a3c arm to judge the others against.
   */
  private void claimProblems(List<String> problems) {
    if (!claims.isEmpty() && arms.stream().noneMatch(a -> "a3c".equalsIgnoreCase(a.arch()))) {
      problems.add("claims compare the arms with A3C, but no arm has arch a3c");
    }
    Set<String> claimed = new HashSet<>();
    for (int i = 0; i < claims.size(); i++) {
      Claim claim = claims.get(i); // not null: the shape check named a null already
      String label = "claims[" + i + "]";
      if (claim.game() == null || !games.contains(claim.game())) {
        problems.add(label + ": game must be one of the figure's games " + games + ", got " + claim.game());
      } else if (!claimed.add(claim.game())) {
        problems.add(label + ": a second claim about " + claim.game());
      }
      if (claim.ratio() == null || !(claim.ratio() > 0) || claim.ratio().isInfinite()) {
        problems.add(label + ": ratio must be the paper's MA3C / A3C, a number above 0 (2.0 for "
            + "about 2x, 1.0 for about equal), got " + claim.ratio());
      }
      if (claim.says() == null || claim.says().isBlank()) {
        problems.add(label + ": says must quote what the paper says");
      }
    }
  }

  /** Game names as train's --games and the ROM directory take them, each once. */
  private static void gameProblems(String what, List<String> names, List<String> problems) {
    for (String name : names) {
      if (!LocalGames.isGameName(name)) {
        problems.add(what + ": '" + name + "' is not a game name (a ROM's name without .bin, e.g. pong)");
      }
    }
    if (twice(names) != null) {
      problems.add(what + " lists " + twice(names) + " twice");
    }
  }

  private List<String> armProblems(Arm arm, String label, List<String> earlier) {
    List<String> problems = new ArrayList<>();
    Architecture architecture = Architecture.of(arm.arch());
    arm.freezeId();
    if (arm.games() != null && arm.games().isEmpty()) {
      problems.add(label + ": games is empty (leave it out for the manifest's)");
    } else if (arm.games() != null) {
      gameProblems(label + ": games", arm.games(), problems);
    }
    if (games != null) {
      // One run per game under a3c, one run of all its games otherwise.
      long runThreads = (long) threadsPerGame * (architecture == Architecture.A3C ? 1 : arm.gamesOr(games).size());
      if (threadsPerGame <= RunConfig.MAX_THREADS && runThreads > RunConfig.MAX_THREADS) {
        problems.add(label + ": " + threadsPerGame + " threads per game on " + arm.gamesOr(games).size()
            + " games is over " + RunConfig.MAX_THREADS + " threads for one run");
      }
    }
    if (arm.freeze() != null && arm.initFrom() == null) {
      problems.add(label + ": freeze needs initFrom");
    }
    if (arm.teachersFrom() != null && !earlier.contains(arm.teachersFrom())) {
      problems.add(label + ": teachersFrom must name an earlier arm, not '"
          + arm.teachersFrom() + "'");
    }
    if (arm.initFrom() != null) {
      Arm source = arms.stream().filter(a -> arm.initFrom().equals(a.name())).findFirst().orElse(null);
      if (source == null || !earlier.contains(source.name())) {
        problems.add(label + ": initFrom must name an earlier arm, not '"
            + arm.initFrom() + "'");
      } else if (Architecture.of(source.arch()) == Architecture.A3C && games != null
          && source.gamesOr(games).size() != 1) {
        problems.add(label + ": initFrom '" + source.name()
            + "' has a run per game (a3c on several games); start from a one-run arm");
      }
    }
    if (architecture == Architecture.A3C && arm.initFrom() != null && games != null
        && arm.gamesOr(games).size() != 1) {
      problems.add(label + ": an a3c transfer arm trains one game");
    }
    return problems;
  }

  /** This experiment at another budget or with other seeds (the command line's overrides). */
  public Manifest with(Long frames, List<Long> otherSeeds) {
    return new Manifest(figure, title, games, arms, lstm, threadsPerGame,
        frames != null ? frames : framesPerGame, otherSeeds != null ? otherSeeds : seeds,
        train == null ? List.of() : train, claims);
  }

  /** The claims, none when the manifest has none. */
  public List<Claim> claimsOrNone() {
    return claims == null ? List.of() : claims;
  }

  public List<String> trainOptions() {
    return train == null ? List.of() : train;
  }
}
