package ma3c.model;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Runs something with SameDiff's hard-coded "Added differentiated op ..." lines (one per op per
 * graph, on System.out) filtered out; everything else still reaches System.out.
 */
final class QuietStdout {
  private static final String NOISE = "Added differentiated op";

  private QuietStdout() {}

  static synchronized void run(Runnable action) {
    PrintStream original = System.out;
    System.setOut(new PrintStream(new OutputStream() {
      private final StringBuilder line = new StringBuilder();

      @Override
      public void write(int b) {
        if (b == '\n') {
          if (!line.toString().startsWith(NOISE)) {
            original.println(line);
          }
          line.setLength(0);
        } else {
          line.append((char) b);
        }
      }
    }, true));
    try {
      action.run();
    } finally {
      System.out.flush();
      System.setOut(original);
    }
  }
}
