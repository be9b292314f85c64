package ma3c.learner.export;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import ma3c.cli.OptionChecks;
import ma3c.cli.ProjectVersion;
import ma3c.learner.run.RunDirectory;
import ma3c.learner.run.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes one self-contained ONNX policy per game from a run's checkpoint. */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
    description = "Export each game's policy (shared trunk + its heads) from a checkpoint to ONNX.")
public final class ExportCommand implements Callable<Integer> {
  @Option(names = "--run", required = true, description = "Run directory (with checkpoint.bin).")
  Path run;

  @Option(names = "--out", description = "Output directory (default: <run>/export).")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (out != null) {
      OptionChecks.directoryToWrite(spec, "--out", out);
    }
    Path saved = run.resolve(Checkpoint.FILE);
    if (!Files.isRegularFile(saved)) {
      throw new FileNotFoundException(run + " holds no checkpoint (" + Checkpoint.FILE + ")");
    }
    Checkpoint checkpoint = Checkpoint.load(saved);
    Path dir = out != null ? out : run.resolve(RunDirectory.EXPORT);
    for (Path file : PolicyExport.write(checkpoint, dir)) {
      System.out.println("wrote " + file.toAbsolutePath());
    }
    return 0;
  }
}
