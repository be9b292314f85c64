package ma3c.policy;

import ma3c.model.OnnxPolicyGraph;

import ma3c.model.ParameterLayout;

import ma3c.model.NetSpec;

import ma3c.model.Architecture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Exported-format models with random parameters, written the way the export command writes them. */
final class TestModels {
  static final List<String> ACTIONS = List.of("NOOP", "FIRE", "RIGHT", "LEFT");

  private TestModels() {}

  static Path write(Path dir, String game, boolean lstm, Architecture arch, long seed) throws Exception {
    ParameterLayout layout = new ParameterLayout(new NetSpec(arch, lstm, Map.of(game, ACTIONS.size())));
    float[] theta = layout.initialParameters(seed);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < theta.length; i++) {
      theta[i] += (float) (random.nextGaussian() * 0.05);
    }
    ModelMetadata meta = new ModelMetadata(game, ACTIONS, arch.id(), lstm, layout.spec().frames(),
        1234, "{\"frameSkip\": 4}", ModelMetadata.FORMAT_VERSION);
    Path file = Files.createDirectories(dir).resolve(game + ".onnx");
    Files.write(file, OnnxPolicyGraph.withParameters(layout, game, theta, meta.toProperties()).toByteArray());
    return file;
  }
}
