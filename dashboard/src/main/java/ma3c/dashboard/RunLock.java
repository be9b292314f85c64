package ma3c.dashboard;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import ma3c.runformat.RunFiles;

/**
 * Whether a learner holds a run directory: the learner keeps an exclusive lock on its run.lock
 * while it trains (the file stays after it exits, so its presence says nothing). Probed with a
 * shared lock, taken and released at once, on a read-only channel (a read-only runs volume
 * works): refused while a learner holds the file, in another process or container of this host,
 * or in this JVM (train --ui). A learner starting in the very microseconds of a probe tries again
 * a few times over ~0.2 s before it calls the run in use (RunDirectory.lock).
 */
final class RunLock {
  private RunLock() {}

  static boolean held(Path runDir) {
    try (FileChannel channel = FileChannel.open(runDir.resolve(RunFiles.LOCK), StandardOpenOption.READ)) {
      FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true);
      if (probe == null) {
        return true;
      }
      probe.release();
      return false;
    } catch (OverlappingFileLockException thisJvm) {
      return true;
    } catch (NoSuchFileException neverLocked) {
      return false;
    } catch (IOException unreadable) {
      return false;
    }
  }
}
