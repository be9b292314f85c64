package ma3c.learner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonParser;
import java.util.List;
import java.util.Map;
import ma3c.learner.algo.Freeze;
import ma3c.learner.run.Json;
import ma3c.learner.run.RunConfig;
import ma3c.model.Architecture;
import ma3c.runformat.RunConfigSummary;
import org.junit.jupiter.api.Test;

/**
 * The dashboard reads config.json without the learner (run-format's RunConfigSummary): what it
 * shows of a run is what Settings says the run holds, for every setting it shows.
 */
class DashboardSummaryTest {
  @Test
  void theDashboardsSummaryReadsWhatSettingsDeclare() {
    RunConfig config = TrainOptions.of(new TrainOptions.RunShape(Map.of("catch", 3),
        Architecture.MA3C_1, true, 12_345, 7, null, Freeze.NONE, List.of(), List.of(), null),
        List.of("--lr", "0.002", "--t-max", "13", "--allocation", "adaptive")).newRun();
    RunConfigSummary shown = RunConfigSummary.of(
        JsonParser.parseString(Json.PRETTY.toJson(config)).getAsJsonObject());
    assertEquals(Settings.FRAMES.inRun().apply(config), shown.frameBudget());
    assertEquals(Settings.FRAMES_PER_GAME.inRun().apply(config), shown.framesPerGame());
    assertEquals(Settings.LR.inRun().apply(config), shown.learningRate());
    assertEquals(Settings.T_MAX.inRun().apply(config), shown.tMax());
    assertEquals(Settings.SEED.inRun().apply(config), shown.seed());
    assertEquals(Settings.ALLOCATION.inRun().apply(config), shown.allocation());
    assertEquals(config.net().architecture().id(), shown.architecture());
    assertEquals(config.net().lstm(), shown.lstm());
    assertEquals(config.threadsPerGame(), shown.threadsPerGame());
  }
}
