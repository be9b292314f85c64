package ma3c.learner.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import ma3c.cli.CommandRun;
import ma3c.env.TestRoms;
import ma3c.learner.LearnerMain;
import ma3c.learner.export.PolicyExport;
import ma3c.learner.run.Checkpoint;
import ma3c.learner.run.RunDirectory;
import ma3c.model.A3CNet;
import ma3c.model.ParameterLayout;
import ma3c.model.NetSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ma3c distill` on catch and Pong, from teachers whose policy and value we set by hand. */
class DistillTest {
  private static CommandRun run(String... args) {
    return CommandRun.of(LearnerMain.commandLine(), args);
  }

  /**
   * A teacher of {@code game} that prefers its action {@code favourite} (about 0.9 or more)
   * whatever it sees and values every state at {@code value}: a short run's checkpoint with its
   * heads' biases set, exported to ONNX in {@code dir/name}.
   */
  private static Path teacher(Path dir, String name, String game, int favourite, float value,
      String... romArgs) throws Exception {
    Path run = dir.resolve(name + "-run");
    List<String> args = new java.util.ArrayList<>(List.of("train", "--games", game, "--arch",
        "a3c", "--threads", "1", "--frames", "500", "--run-dir", run.toString(),
        "--progress-every", "60"));
    args.addAll(List.of(romArgs));
    CommandRun r = run(args.toArray(String[]::new));
    assertEquals(0, r.exit(), r.err());
    Checkpoint c = Checkpoint.load(run.resolve(Checkpoint.FILE));
    ParameterLayout layout = c.meta().layout();
    float[] theta = c.theta().clone();
    for (ParameterLayout.Block b : layout.blocks()) {
      if (b.localName().equals("pi_w") || b.localName().equals("v_w")) {
        Arrays.fill(theta, b.offset(), b.offset() + b.size(), 0f);
      } else if (b.localName().equals("pi_b")) {
        Arrays.fill(theta, b.offset(), b.offset() + b.size(), 0f);
        theta[b.offset() + favourite] = 4f;
      } else if (b.localName().equals("v_b")) {
        theta[b.offset()] = value;
      }
    }
    Path export = dir.resolve(name);
    PolicyExport.write(new Checkpoint(c.meta(), theta, c.meanSquare()), export);
    return export;
  }

  /** The student's action probabilities for {@code game} on a blank screen. */
  private static float[] studentProbs(Checkpoint c, String game) {
    ParameterLayout layout = c.meta().layout();
    A3CNet net = new A3CNet(layout, game, 5);
    net.loadFrom(c.theta());
    net.beginRollout();
    return net.act(new byte[layout.spec().frames() * NetSpec.SIZE * NetSpec.SIZE]).probs();
  }

  @Test
  void theStudentLearnsTheTeachersPolicyAndValue(@TempDir Path dir) throws Exception {
    Path teachers = teacher(dir, "teachers", "catch", 0, 0.7f);
    Path student = dir.resolve("student");
    CommandRun r = run("distill", "--games", "catch", "--arch", "ma3c-2", "--threads", "2",
        "--frames", "20000", "--teachers", teachers.toString(), "--run-dir", student.toString(),
        "--progress-every", "1");
    assertEquals(0, r.exit(), r.err());

    Checkpoint c = Checkpoint.load(student.resolve(Checkpoint.FILE));
    assertEquals(List.of(teachers.toString()), c.meta().config().teachers());
    float[] probs = studentProbs(c, "catch");
    assertTrue(probs[0] > 0.8, "the teacher's favourite action: " + probs[0]);

    // The KL to the teacher (logged as the policy loss) and the value error fall.
    List<String> metrics = Files.readAllLines(student.resolve(RunDirectory.METRICS));
    String first = metrics.get(0);
    String last = metrics.get(metrics.size() - 1);
    assertTrue(loss(last, "policyLoss") < loss(first, "policyLoss") / 2, first + "\n" + last);
    assertTrue(loss(last, "valueLoss") < loss(first, "valueLoss") / 2, first + "\n" + last);
  }

  /**
   * A multi-task MA3C-1 student on catch and Pong, each game's teacher in its own directory:
   * each game's head learns its own teacher's favourite action, not the other's.
   */
  @Test
  void eachGameLearnsFromItsOwnTeacher(@TempDir Path dir) throws Exception {
    Path roms = TestRoms.dir("pong");
    Path catchTeacher = teacher(dir, "catch-teacher", "catch", 2, 0.5f);
    Path pongTeacher = teacher(dir, "pong-teacher", "pong", 3, -0.5f,
        "--rom-dir", roms.toString());
    Path student = dir.resolve("student");
    CommandRun r = run("distill", "--games", "catch:1,pong:1", "--arch", "ma3c-1",
        "--frames-per-game", "40000", "--rom-dir", roms.toString(),
        "--teachers", catchTeacher + "," + pongTeacher, "--run-dir", student.toString(),
        "--progress-every", "1");
    assertEquals(0, r.exit(), r.err());

    Checkpoint c = Checkpoint.load(student.resolve(Checkpoint.FILE));
    float[] catchProbs = studentProbs(c, "catch");
    float[] pongProbs = studentProbs(c, "pong");
    assertTrue(catchProbs[2] > 0.6, "catch's teacher's favourite: " + Arrays.toString(catchProbs));
    assertTrue(pongProbs[3] > 0.6, "pong's teacher's favourite: " + Arrays.toString(pongProbs));
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
