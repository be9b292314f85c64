package ma3c.learner.evaluate;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ma3c.learner.play.EpisodePlayer;
import ma3c.learner.run.AtomicFiles;
import ma3c.learner.run.Json;

/**
 * What an evaluation found and how: the protocol as played, where the policy came from, and per
 * game every episode and their summary. {@link #writeJson} writes it (evaluation.json).
 *
 * @param frameSkip emulator frames per decision, as the policy was trained
 * @param aleVersion the emulator's version; null when the games ran on remote env services
 * @param envService "embedded", or the env service endpoints
 * @param games in the source's game order
 * @param evaluatedAt when the evaluation finished (ISO-8601)
 */
public record EvaluationResult(EvaluationSettings.Protocol protocol, int frameSkip,
    String aleVersion, String envService, int threads, Origin origin,
    Map<String, GameEvaluation> games, String evaluatedAt) {

  /**
   * The policy evaluated.
   *
   * @param file the run's checkpoint or the model file
   * @param framesTrained the frames the policy was trained for (checkpoint or model metadata)
   * @param savedAt when the checkpoint was written; null for a model
   * @param sha256 the model file's SHA-256 (hex); null for a run (its checkpoint is rewritten while
   *     it trains: frames and savedAt identify it)
   */
  public record Origin(String file, long framesTrained, String savedAt, String sha256) {}

  /** One game's episodes, in episode order (each list has one entry per episode), and their summary. */
  public record GameEvaluation(List<Double> returns, List<Integer> steps, List<Integer> frames,
      List<Boolean> truncated, Summary summary) {
    static GameEvaluation of(List<EpisodePlayer.Result> episodes) {
      double[] returns = episodes.stream().mapToDouble(EpisodePlayer.Result::score).toArray();
      int truncated = (int) episodes.stream().filter(EpisodePlayer.Result::truncated).count();
      return new GameEvaluation(Arrays.stream(returns).boxed().toList(),
          episodes.stream().map(EpisodePlayer.Result::steps).toList(),
          episodes.stream().map(EpisodePlayer.Result::frames).toList(),
          episodes.stream().map(EpisodePlayer.Result::truncated).toList(),
          Summary.of(returns, truncated));
    }
  }

  /** Game name to its summary, in game order. */
  public Map<String, Summary> summaries() {
    Map<String, Summary> summaries = new LinkedHashMap<>();
    games.forEach((game, evaluation) -> summaries.put(game, evaluation.summary()));
    return summaries;
  }

  /**
   * The JSON document: "protocol" holds every setting that shapes a score in one object (the
   * evaluation's own, then the frame skip, life loss, ALE version and env service), then
   * "threads", "origin", "games" and "evaluatedAt".
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    JsonObject played = Json.PRETTY.toJsonTree(protocol).getAsJsonObject();
    played.addProperty("frameSkip", frameSkip);
    played.addProperty("lifeLossEndsEpisode", false);
    played.addProperty("aleVersion", aleVersion);
    played.addProperty("envService", envService);
    json.add("protocol", played);
    json.addProperty("threads", threads);
    json.add("origin", Json.PRETTY.toJsonTree(origin));
    json.add("games", Json.PRETTY.toJsonTree(games));
    json.addProperty("evaluatedAt", evaluatedAt);
    return json;
  }

  /** Writes {@link #toJson} to {@code file} atomically: readers see the old file or the whole new one. */
  public void writeJson(Path file) throws IOException {
    AtomicFiles.writeString(file, Json.PRETTY.toJson(toJson()) + "\n");
  }
}
