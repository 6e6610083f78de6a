package io.novacron.transfer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.novacron.workflows.transfer.TransferResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sender's side of the engine in Prometheus terms (names as exported):
 * {@code novacron_transfers_total{outcome}}, {@code novacron_transfers_in_flight},
 * {@code novacron_transfer_raw_bytes_total} (file bytes moved), {@code novacron_transfer_wire_bytes_total}
 * (bytes the connections carried), {@code novacron_transfer_payload_bytes_total{codec}},
 * {@code novacron_transfer_blocks_total{kind="sent|zero|skipped|resumed"}} (skipped = delta
 * effectiveness), {@code novacron_transfer_ratio} (raw per wire byte, a summary) and
 * {@code novacron_transfer_duration_seconds}. Raw over wire bytes is the compression ratio across
 * all transfers; the heartbeats carry the same per transfer.
 */
public final class TransferMetrics {
  private final MeterRegistry registry;
  private final AtomicInteger inFlight = new AtomicInteger();

  public TransferMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("novacron.transfers.in.flight", inFlight);
  }

  /** Metrics kept in memory only: for code paths without an agent's registry (tests, tools). */
  public static TransferMetrics unexported() {
    return new TransferMetrics(new SimpleMeterRegistry());
  }

  /** A send begins; pair with {@link #succeeded} or {@link #failed}. */
  void started() {
    inFlight.incrementAndGet();
  }

  void succeeded(TransferResult r) {
    inFlight.decrementAndGet();
    outcome("succeeded").increment();
    Counter.builder("novacron.transfer.raw").baseUnit("bytes").register(registry).increment(r.bytesRaw());
    Counter.builder("novacron.transfer.wire").baseUnit("bytes").register(registry).increment(r.bytesOnWire());
    blocks("sent").increment(r.blocksSent());
    blocks("zero").increment(r.blocksZero());
    blocks("skipped").increment(r.blocksSkipped());
    blocks("resumed").increment(r.blocksResumed());
    for (Map.Entry<String, Long> codec : r.wireBytesByCodec().entrySet()) {
      Counter.builder("novacron.transfer.payload").baseUnit("bytes").tag("codec", codec.getKey()).register(registry)
          .increment(codec.getValue());
    }
    DistributionSummary.builder("novacron.transfer.ratio").register(registry).record(r.ratio());
    Timer.builder("novacron.transfer.duration").register(registry).record(Duration.ofMillis(Math.round(r.seconds() * 1000)));
  }

  /** A send attempt ended in an error (Temporal may retry it: each attempt counts). */
  void failed() {
    inFlight.decrementAndGet();
    outcome("failed").increment();
  }

  private Counter outcome(String outcome) {
    return Counter.builder("novacron.transfers").tag("outcome", outcome).register(registry);
  }

  private Counter blocks(String kind) {
    return Counter.builder("novacron.transfer.blocks").tag("kind", kind).register(registry);
  }
}
