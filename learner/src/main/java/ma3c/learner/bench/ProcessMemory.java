package ma3c.learner.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's memory as the bench reports it. */
final class ProcessMemory {
  private static final Path STATUS = Path.of("/proc/self/status");

  private ProcessMemory() {}

  /** Resident set (VmRSS of /proc/self/status: heap, native emulators, code), MiB; -1 off Linux. */
  static long residentMiB() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException unavailable) {
      // Not Linux, or a format we do not know: the table says n/a.
    }
    return -1;
  }

  /** Heap in use after a full collection: what is live, not what awaits the collector. */
  static long liveHeapMiB() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
  }
}
