package ma3c.learner.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one case measured; a JSON line of {@code bench --json}.
 *
 * @param multiTask a games-scaling case (MA3C-2 on the first n games), not a one-game case
 * @param framesPerSecond training frames/s over the measured window
 * @param aleAlone what ALE alone does on the same games and env settings, one thread per core
 * @param rssMiB the process's resident set at the end of the window (it includes every earlier
 *     case's high-water heap: the cases run in order of growing work); -1 where unknown
 * @param heapMiB heap in use after a full GC at the end of the window: what the case keeps live
 * @param msPerUpdate per phase, milliseconds per update summed over the threads' wall time
 */
record BenchResult(String kind, boolean multiTask, String label, List<String> games, int threads,
    double framesPerSecond,
    double aleAlone, double ratio, long rssMiB, long heapMiB, Map<String, Double> msPerUpdate) {

  static BenchResult of(BenchCase c, double fps, double ale, long rssMiB, long heapMiB,
      LinkedHashMap<String, Double> phases) {
    return new BenchResult(c.kind().id, c.multiTask(), c.label(), c.games(), c.threads(), fps, ale,
        fps / ale, rssMiB, heapMiB, phases);
  }
}
