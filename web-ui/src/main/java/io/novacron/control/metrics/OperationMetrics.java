package io.novacron.control.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The two meters an SRE alerts on first, recorded once per ended run:
 * {@code novacron_vm_operations_total{operation,outcome}} and
 * {@code novacron_operation_duration_seconds{operation,outcome}} (a histogram). Labels come from
 * {@link Operations}: a fixed set, never a VM's or node's name.
 */
@Component
public class OperationMetrics {
  /**
   * Bucket bounds for whole runs: a power action takes seconds, a provisioning with an image pull
   * minutes, a drain of a full node or a model deployment up to about two hours. 1 s .. 2 h in
   * roughly 2-2.5x steps keeps p95 within one step of the truth over that range.
   */
  public static final Duration[] RUN_BUCKETS = {
      Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
      Duration.ofMinutes(10), Duration.ofMinutes(20), Duration.ofMinutes(30), Duration.ofHours(1),
      Duration.ofHours(2)};

  private final MeterRegistry meters;

  OperationMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  /** Records one ended run of {@code operation} with {@code outcome} that took {@code took}. */
  public void ended(String operation, String outcome, Duration took) {
    Counter.builder("novacron.vm.operations")
        .description("Runs that ended, by operation (provision, start, stop, migrate, ...) and outcome"
            + " (succeeded, failed, cancelled)")
        .tags("operation", operation, "outcome", outcome)
        .register(meters)
        .increment();
    Timer.builder("novacron.operation.duration")
        .description("From a run's start to its end, by operation and outcome")
        .tags("operation", operation, "outcome", outcome)
        .serviceLevelObjectives(RUN_BUCKETS)
        .register(meters)
        .record(took.isNegative() ? Duration.ZERO : took);
  }
}
