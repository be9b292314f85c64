package ma3c.learner.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ma3c.cli.CommandRun;
import ma3c.learner.LearnerMain;
import ma3c.learner.export.PolicyExport;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.RunDirectory;
import ma3c.model.A3CNet;
import ma3c.model.ParameterLayout;
import ma3c.model.NetSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ma3c distill` on catch, from a teacher whose policy and value we set by hand. */
class DistillTest {
  private static CommandRun run(String... args) {
    return CommandRun.of(LearnerMain.commandLine(), args);
  }

  /**
   * A teacher that prefers catch's first action (about 0.91) whatever it sees and values every
   * state at 0.7: a short run's checkpoint with its heads' biases set, exported to ONNX.
   */
  private static Path teacher(Path dir) throws Exception {
    Path run = dir.resolve("teacher-run");
    assertEquals(0, run("train", "--games", "catch", "--arch", "a3c", "--threads", "1",
        "--frames", "500", "--run-dir", run.toString(), "--progress-every", "60").exit());
    Checkpoint c = Checkpoint.load(run.resolve(Checkpoint.FILE));
    ParameterLayout layout = new ParameterLayout(new NetSpec(c.meta().config().arch(), false,
        Map.of("catch", 3)));
    float[] theta = c.theta().clone();
    for (ParameterLayout.Block b : layout.blocks()) {
      if (b.localName().equals("pi_w") || b.localName().equals("v_w")) {
        java.util.Arrays.fill(theta, b.offset(), b.offset() + b.size(), 0f);
      } else if (b.localName().equals("pi_b")) {
        theta[b.offset()] = 3f;
        theta[b.offset() + 1] = 0f;
        theta[b.offset() + 2] = 0f;
      } else if (b.localName().equals("v_b")) {
        theta[b.offset()] = 0.7f;
      }
    }
    Path export = dir.resolve("teachers");
    PolicyExport.write(new Checkpoint(c.meta(), theta, c.meanSquare()), export);
    return export;
  }

  @Test
  void theStudentLearnsTheTeachersPolicyAndValue(@TempDir Path dir) throws Exception {
    Path teachers = teacher(dir);
    Path student = dir.resolve("student");
    CommandRun r = run("distill", "--games", "catch", "--arch", "ma3c-2", "--threads", "2",
        "--frames", "20000", "--teachers", teachers.toString(), "--run-dir", student.toString(),
        "--progress-every", "1");
    assertEquals(0, r.exit(), r.err());

    Checkpoint c = Checkpoint.load(student.resolve(Checkpoint.FILE));
    assertEquals(List.of(teachers.toString()), c.meta().config().teachers());
    ParameterLayout layout = new ParameterLayout(new NetSpec(c.meta().config().arch(), false,
        Map.of("catch", 3)));
    A3CNet net = new A3CNet(layout, "catch", 5);
    net.loadFrom(c.theta());
    net.beginRollout();
    A3CNet.Output out = net.act(new byte[layout.spec().frames() * NetSpec.SIZE * NetSpec.SIZE]);
    assertTrue(out.probs()[0] > 0.8, "the teacher's favourite action: " + out.probs()[0]);

    // The KL to the teacher (logged as the policy loss) and the value error fall.
    List<String> metrics = Files.readAllLines(student.resolve(RunDirectory.METRICS));
    String first = metrics.get(0);
    String last = metrics.get(metrics.size() - 1);
    assertTrue(loss(last, "policyLoss") < loss(first, "policyLoss") / 2, first + "\n" + last);
    assertTrue(loss(last, "valueLoss") < loss(first, "valueLoss") / 2, first + "\n" + last);
  }

  private static double loss(String metricsLine, String term) {
    return JsonParser.parseString(metricsLine).getAsJsonObject().getAsJsonObject("games")
        .getAsJsonObject("catch").get(term).getAsDouble();
  }

  @Test
  void aMissingTeacherIsAOneLineError(@TempDir Path dir) {
    CommandRun none = run("distill", "--games", "catch", "--run-dir", dir.resolve("a").toString());
    assertEquals(2, none.exit());
    assertTrue(none.err().contains("distill needs --teachers"), none.err());
    CommandRun missing = run("distill", "--games", "catch", "--teachers", dir.toString(),
        "--run-dir", dir.resolve("b").toString());
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("no teacher for catch"), missing.err());
    assertFalse(missing.err().contains("\tat "), missing.err());
  }
}
