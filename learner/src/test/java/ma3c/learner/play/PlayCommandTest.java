package ma3c.learner.play;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import ma3c.cli.CommandRun;
import ma3c.learner.LearnerMain;
import ma3c.model.Architecture;
import ma3c.model.onnx.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** `ma3c play`: its options, exit codes, error lines and the GIF it records. */
@Timeout(60)
class PlayCommandTest {
  @TempDir Path dir;

  private static CommandRun run(String... args) {
    return CommandRun.of(LearnerMain.commandLine(), args);
  }

  private static void usageError(String expected, String... args) {
    run(args).assertUsageError(expected);
  }

  @Test
  void playRefusesBadOptionsBeforeDoingAnything() throws Exception {
    Path model = TestModels.write(dir, "catch", false, Architecture.A3C, 1);
    usageError("--model " + dir.resolve("missing.onnx") + ": no such file",
        "play", "--model", dir.resolve("missing.onnx").toString());
    usageError("Missing required option", "play");
    usageError("--episodes must be at least 1", "play", "--model", model.toString(), "--episodes", "0");
    usageError("--max-steps must be at least 1", "play", "--model", model.toString(), "--max-steps", "-5");
    usageError("--env must be host:port", "play", "--model", model.toString(), "--env", "localhost");
    usageError("--env must be host:port", "play", "--model", model.toString(), "--env", "h:99999");
    usageError("no such directory", "play", "--model", model.toString(), "--gif",
        dir.resolve("no/such/dir/x.gif").toString());
    usageError("--gif " + dir + ": a directory; name the file, e.g. " + dir.resolve("episode.gif"),
        "play", "--model", model.toString(), "--gif", dir.toString());
    usageError("--tls-ca and --token-file are for --env endpoints", "play", "--model", model.toString(),
        "--tls-ca", "/nonexistent");
  }

  @Test
  void playFailuresAreOneLineAndExit1WithTheStackTraceOnlyWhenVerbose() throws Exception {
    Path nan = TestModels.write(dir, "catch", TestModels.withParameter(
        TestModels.model("catch", false, Architecture.A3C, 1, List.of("NOOP", "LEFT", "RIGHT")),
        "fc_w", 0, Float.NaN));
    CommandRun refused = run("play", "--model", nan.toString(), "--rom-dir", dir.toString());
    assertEquals(1, refused.exit());
    assertEquals(1, refused.errLines().size(), refused.err());
    assertTrue(refused.err().contains("not all finite"), refused.err());

    CommandRun verbose = run("play", "--model", nan.toString(), "--rom-dir", dir.toString(), "--verbose");
    assertEquals(1, verbose.exit());
    assertTrue(verbose.err().contains("\tat ma3c."), verbose.err());

    Path unknown = TestModels.write(dir.resolve("unknown"), "tetris", false, Architecture.A3C, 1);
    CommandRun game = run("play", "--model", unknown.toString(), "--rom-dir", dir.toString());
    assertEquals(1, game.exit(), game.err());
    assertEquals(1, game.errLines().size(), game.err());
    assertTrue(game.err().contains("unknown game 'tetris'"), game.err());
    assertFalse(game.err().contains("\tat "), game.err());

    Path wrongActions = TestModels.write(dir.resolve("four"), "catch", false, Architecture.A3C, 1);
    CommandRun actions = run("play", "--model", wrongActions.toString(), "--rom-dir", dir.toString());
    assertEquals(1, actions.exit(), actions.err());
    assertTrue(actions.err().contains("has 4 actions but catch has 3"), actions.err());
  }

  @Test
  void playRecordsEveryFrameOfTheEpisodeTheLastIncluded() throws Exception {
    Path model = TestModels.write(dir, "catch", TestModels.model("catch", false, Architecture.A3C, 1,
        List.of("NOOP", "LEFT", "RIGHT")));
    Path gif = dir.resolve("catch.gif");
    CommandRun r = run("play", "--model", model.toString(), "--rom-dir", dir.toString(), "--episodes", "1",
        "--gif", gif.toString());
    assertEquals(0, r.exit(), r.err());
    Matcher m = Pattern.compile("score -?\\d+ in (\\d+) steps").matcher(r.out());
    assertTrue(m.find(), r.out());
    int steps = Integer.parseInt(m.group(1));
    ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
      reader.setInput(in);
      assertEquals(steps + 1, reader.getNumImages(true), "the reset frame and one per step");
      // The ball (255) falls a row of 7 pixels (21 in the GIF) a step and the episode ends when it
      // reaches the bottom row, where the paddle may hide it: so the frame before the last shows it
      // on row 10, and the last one nowhere above the bottom row.
      assertEquals(10, ballRow(reader.read(steps - 1)));
      int last = ballRow(reader.read(steps));
      assertTrue(last == 11 || last == -1, "the final frame: ball landed, got row " + last);
    } finally {
      reader.dispose();
    }
  }

  /** The row of cells holding the ball, or -1. */
  private static int ballRow(BufferedImage frame) {
    for (int y = 0; y < frame.getHeight(); y++) {
      for (int x = 0; x < frame.getWidth(); x++) {
        if ((frame.getRGB(x, y) & 0xff) == 255) {
          return y / 21;
        }
      }
    }
    return -1;
  }
}
