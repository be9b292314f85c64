import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ma3c.learner.export.PolicyExport;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.RunConfig;
import ma3c.learner.train.TrainOptions;
import ma3c.learner.train.TrainOptions.RunShape;
import ma3c.learner.train.Training;
import ma3c.model.Architecture;

/** Trains A3C on catch (a built-in game: no ROMs needed) and exports its policy to ONNX. */
public class TrainCatch {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "runs/catch");
    // Two actor-learner threads, 200k frames; any train option as a setting, checked as train checks it.
    RunConfig config = TrainOptions.of(RunShape.of(Map.of("catch", 2), Architecture.A3C, 200_000),
        List.of("--lr", "1e-3", "--t-max", "10")).newRun();
    // Starts the run, or continues it from its checkpoint if the directory holds one.
    Checkpoint last = Training.in(dir).startOrResume(config);
    PolicyExport.write(last, dir.resolve("export"));
    System.out.printf("%d frames, %d episodes; policy in %s%n", last.meta().frames(),
        last.meta().episodes().get("catch"), dir.resolve("export/catch.onnx"));
  }
}
