package ma3c.dashboard;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A stand-in for a training learner in another process: holds run.lock until its stdin closes. */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      channel.lock();
      System.out.println("locked");
      System.out.flush();
      while (System.in.read() >= 0) {
        // until the test closes our stdin
      }
    }
  }
}
