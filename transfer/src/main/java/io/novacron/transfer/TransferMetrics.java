package io.novacron.transfer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
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
 * (bytes the connections carried), {@code novacron_transfer_egress_bytes_total} (the same, less the
 * sends to this node's own receiver: what left the node), {@code novacron_transfer_payload_bytes_total{codec}},
 * {@code novacron_transfer_blocks_total{kind="sent|zero|skipped|resumed"}} (skipped = delta
 * effectiveness), {@code novacron_transfer_ratio} (raw per wire byte, a histogram) and
 * {@code novacron_transfer_duration_seconds} (a histogram). Raw over wire bytes is the compression
 * ratio across all transfers; the heartbeats carry the same per transfer. Every meter has help text
 * and every distribution fixed buckets, so that Prometheus can aggregate quantiles across agents.
 */
public final class TransferMetrics {
  /**
   * A transfer moves anything from a small config file (a tenth of a second) to a VM's disk or a
   * model's shards of hundreds of GB (up to about an hour): 0.1 s .. 1 h.
   */
  static final Duration[] DURATION_BUCKETS = {
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
      Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
      Duration.ofMinutes(30), Duration.ofHours(1)};
  /**
   * Raw per wire byte: 1 for incompressible data (or codec none), 2..5 for text and typical disks,
   * far more for mostly-zero images.
   */
  static final double[] RATIO_BUCKETS = {1, 1.25, 1.5, 2, 3, 5, 10, 20, 50, 100};
  private final MeterRegistry registry;
  private final AtomicInteger inFlight = new AtomicInteger();

  public TransferMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("novacron.transfers.in.flight", inFlight, AtomicInteger::get)
        .description("Sends of this agent under way now").register(registry);
    // Registered at zero, so that rate() and the dashboard see the series before the first send.
    outcome("succeeded");
    outcome("failed");
    raw();
    wire();
    egress();
    for (String kind : new String[] {"sent", "zero", "skipped", "resumed"}) {
      blocks(kind);
    }
    ratio();
    duration();
  }

  /** Metrics kept in memory only: for code paths without an agent's registry (tests, tools). */
  public static TransferMetrics unexported() {
    return new TransferMetrics(new SimpleMeterRegistry());
  }

  /** A send begins; pair with {@link #succeeded} or {@link #failed}. */
  void started() {
    inFlight.incrementAndGet();
  }

  /**
   * @param toSelf whether the receive was open on this node's own engine (a copy within the node,
   *     which puts nothing on the network: not egress)
   */
  void succeeded(TransferResult r, boolean toSelf) {
    inFlight.decrementAndGet();
    outcome("succeeded").increment();
    raw().increment(r.bytesRaw());
    wire().increment(r.bytesOnWire());
    if (!toSelf) {
      egress().increment(r.bytesOnWire());
    }
    blocks("sent").increment(r.blocksSent());
    blocks("zero").increment(r.blocksZero());
    blocks("skipped").increment(r.blocksSkipped());
    blocks("resumed").increment(r.blocksResumed());
    for (Map.Entry<String, Long> codec : r.wireBytesByCodec().entrySet()) {
      Counter.builder("novacron.transfer.payload").baseUnit("bytes")
          .description("Block payload bytes on the wire of completed sends, by codec").tag("codec", codec.getKey())
          .register(registry)
          .increment(codec.getValue());
    }
    ratio().record(r.ratio());
    duration().record(Duration.ofMillis(Math.round(r.seconds() * 1000)));
  }

  /** A send attempt ended in an error (Temporal may retry it: each attempt counts). */
  void failed() {
    inFlight.decrementAndGet();
    outcome("failed").increment();
  }

  private Counter raw() {
    return Counter.builder("novacron.transfer.raw").baseUnit("bytes").description("File bytes moved by completed sends")
        .register(registry);
  }

  private Counter wire() {
    return Counter.builder("novacron.transfer.wire").baseUnit("bytes")
        .description("Bytes the connections of completed sends carried").register(registry);
  }

  private Counter egress() {
    return Counter.builder("novacron.transfer.egress").baseUnit("bytes")
        .description("Bytes the connections of completed sends to another node carried (copies within the node"
            + " left out)")
        .register(registry);
  }

  private DistributionSummary ratio() {
    return DistributionSummary.builder("novacron.transfer.ratio")
        .description("Raw bytes per wire byte of each completed send (compression and skipped blocks)")
        .serviceLevelObjectives(RATIO_BUCKETS).register(registry);
  }

  private Timer duration() {
    return Timer.builder("novacron.transfer.duration").description("How long each completed send took")
        .serviceLevelObjectives(DURATION_BUCKETS).register(registry);
  }

  private Counter outcome(String outcome) {
    return Counter.builder("novacron.transfers").description("Send attempts that ended, by outcome")
        .tag("outcome", outcome).register(registry);
  }

  private Counter blocks(String kind) {
    return Counter.builder("novacron.transfer.blocks")
        .description("Blocks of completed sends, by kind: sent, zero, skipped (the receiver had them), resumed")
        .tag("kind", kind).register(registry);
  }
}
