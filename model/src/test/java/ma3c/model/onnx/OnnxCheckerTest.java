package ma3c.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import ma3c.model.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported files pass ONNX's own checker (Debian's python3-onnx, independent of our
 * generated protobuf classes and of ONNX Runtime), for the FF and the LSTM graph.
 */
class OnnxCheckerTest {
  @Test
  void exportedModelsPassOnnxCheckerCheckModel(@TempDir Path dir) throws Exception {
    Path ff = TestModels.write(dir.resolve("ff"), "pong", false, Architecture.MA3C_2, 1);
    Path lstm = TestModels.write(dir.resolve("lstm"), "breakout", true, Architecture.MA3C_1, 2);
    for (Path model : new Path[] {ff, lstm}) {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c",
          "import sys, onnx; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True);"
              + " print('ok', m.opset_import[0].version)", model.toString())
          .redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes());
      p.waitFor(60, TimeUnit.SECONDS);
      assertEquals(0, p.exitValue(), model + ": " + output
          + " (needs Debian's python3-onnx: apt-get install python3-onnx)");
      assertEquals("ok 17", output.strip());
    }
  }
}
