package ma3c.env.service;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * What an operator watches on an env service: each step's and reset's latency (emulation,
 * preprocessing, encoding; their counts give steps/s) and the in-band errors by code.
 */
public final class SessionMetrics {
  private final MeterRegistry registry;
  private final Timer steps;
  private final Timer resets;

  public SessionMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.steps = Timer.builder("env.step").description("Agent steps, served")
        .publishPercentileHistogram().register(registry);
    this.resets = Timer.builder("env.reset").description("Resets, served")
        .publishPercentileHistogram().register(registry);
  }

  void stepped(long startNanos) {
    steps.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  void reset(long startNanos) {
    resets.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  void inBandError(Status.Code code) {
    Counter.builder("env.errors.inband").description("Requests answered with an in-band error")
        .tag("code", code.name()).register(registry).increment();
  }
}
