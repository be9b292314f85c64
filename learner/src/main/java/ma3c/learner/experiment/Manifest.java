package ma3c.learner.experiment;

import com.google.gson.JsonParseException;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import ma3c.learner.algo.Freeze;
import ma3c.learner.run.Json;
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
 */
public record Manifest(String figure, String title, List<String> games, List<Arm> arms, boolean lstm,
    int threadsPerGame, long framesPerGame, List<Long> seeds, List<String> train) {

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

  public static Manifest load(Path file) throws IOException {
    Manifest m;
    try (Reader in = Files.newBufferedReader(file); JsonReader json = new JsonReader(in)) {
      json.setLenient(true); // comments
      m = Json.LINE.fromJson(json, Manifest.class);
    } catch (JsonParseException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    if (m == null) {
      throw new IOException(file + " is empty");
    }
    return m.checked(file);
  }

  private Manifest checked(Path file) throws IOException {
    List<String> problems = new ArrayList<>();
    if (figure == null || !figure.matches("[a-z0-9][a-z0-9-]*")) {
      problems.add("figure must be a lower-case name like fig4-pong-breakout");
    }
    if (games == null || games.isEmpty()) {
      problems.add("games is empty");
    }
    if (arms == null || arms.isEmpty()) {
      problems.add("arms is empty");
    } else {
      List<String> earlier = new ArrayList<>();
      Set<String> played = new HashSet<>();
      for (Arm arm : arms) {
        try {
          problems.addAll(armProblems(arm, earlier));
        } catch (IllegalArgumentException e) {
          problems.add("arm " + arm.name() + ": " + e.getMessage());
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
    if (threadsPerGame < 1) {
      problems.add("threadsPerGame must be at least 1");
    }
    if (framesPerGame < 1) {
      problems.add("framesPerGame must be at least 1");
    }
    if (seeds == null || seeds.isEmpty()) {
      problems.add("seeds is empty");
    }
    if (!problems.isEmpty()) {
      throw new IOException(file + ": " + String.join("; ", problems));
    }
    return this;
  }

  private List<String> armProblems(Arm arm, List<String> earlier) {
    List<String> problems = new ArrayList<>();
    Architecture architecture = Architecture.of(arm.arch());
    arm.freezeId();
    if (arm.games() != null && arm.games().isEmpty()) {
      problems.add("arm " + arm.name() + ": games is empty (leave it out for the manifest's)");
    }
    if (arm.freeze() != null && arm.initFrom() == null) {
      problems.add("arm " + arm.name() + ": freeze needs initFrom");
    }
    if (arm.teachersFrom() != null && !earlier.contains(arm.teachersFrom())) {
      problems.add("arm " + arm.name() + ": teachersFrom must name an earlier arm, not '"
          + arm.teachersFrom() + "'");
    }
    if (arm.initFrom() != null) {
      Arm source = arms.stream().filter(a -> a.name().equals(arm.initFrom())).findFirst().orElse(null);
      if (source == null || !earlier.contains(source.name())) {
        problems.add("arm " + arm.name() + ": initFrom must name an earlier arm, not '"
            + arm.initFrom() + "'");
      } else if (Architecture.of(source.arch()) == Architecture.A3C && games != null
          && source.gamesOr(games).size() != 1) {
        problems.add("arm " + arm.name() + ": initFrom '" + source.name()
            + "' has a run per game (a3c on several games); start from a one-run arm");
      }
    }
    if (architecture == Architecture.A3C && arm.initFrom() != null && games != null
        && arm.gamesOr(games).size() != 1) {
      problems.add("arm " + arm.name() + ": an a3c transfer arm trains one game");
    }
    return problems;
  }

  /** This experiment at another budget or with other seeds (the command line's overrides). */
  public Manifest with(Long frames, List<Long> otherSeeds) {
    return new Manifest(figure, title, games, arms, lstm, threadsPerGame,
        frames != null ? frames : framesPerGame, otherSeeds != null ? otherSeeds : seeds,
        train == null ? List.of() : train);
  }

  public List<String> trainOptions() {
    return train == null ? List.of() : train;
  }
}
