package ma3c.learner.export;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import ma3c.learner.Trainer;
import ma3c.learner.run.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes one self-contained ONNX policy per game from a run's checkpoint. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export each game's policy (shared trunk + its heads) from a checkpoint to ONNX.")
public final class ExportCommand implements Callable<Integer> {
  @Option(names = "--run", required = true, description = "Run directory (with checkpoint.bin).")
  Path run;

  @Option(names = "--out", description = "Output directory (default: <run>/export).")
  Path out;

  @Override
  public Integer call() throws Exception {
    Checkpoint checkpoint = Checkpoint.load(run.resolve(Checkpoint.FILE));
    Path dir = out != null ? out : run.resolve(Trainer.EXPORT_DIR);
    for (Path file : PolicyExport.write(checkpoint, dir)) {
      System.out.println("wrote " + file.toAbsolutePath());
    }
    return 0;
  }
}
