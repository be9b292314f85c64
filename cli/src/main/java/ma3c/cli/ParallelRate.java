package ma3c.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Runs the same measurement on several threads at once and adds up their rates. */
public final class ParallelRate {
  private ParallelRate() {}

  /** The sum of what {@code worker.apply(i)} returns (a rate, e.g. steps/s) on threads 0..n-1. */
  public static double total(int threads, IntFunction<Callable<Double>> worker) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Double>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(worker.apply(t)));
      }
      double total = 0;
      for (Future<Double> r : results) {
        total += r.get();
      }
      return total;
    } finally {
      pool.shutdownNow();
    }
  }
}
