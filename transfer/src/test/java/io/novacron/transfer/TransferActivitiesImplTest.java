package io.novacron.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.novacron.transfer.DataSets.Shape;
import io.novacron.workflows.transfer.CloseReceiveRequest;
import io.novacron.workflows.transfer.ReceiveEndpoint;
import io.novacron.workflows.transfer.ReceiveOutcome;
import io.novacron.workflows.transfer.TransferActivities;
import io.novacron.workflows.transfer.TransferFailures;
import io.novacron.workflows.transfer.TransferOptions;
import io.novacron.workflows.transfer.TransferProgress;
import io.novacron.workflows.transfer.TransferRequest;
import io.novacron.workflows.transfer.TransferResult;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The activities through Temporal's activity test environment: heartbeats, retries, failure types. */
class TransferActivitiesImplTest {
  @TempDir
  Path tmp;
  TwoNodes nodes;
  TestActivityEnvironment env;
  TransferActivities onSource;
  TransferActivities onTarget;
  SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void start() throws Exception {
    nodes = new TwoNodes(tmp);
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new TransferActivitiesImpl(nodes.source, new TransferMetrics(meters)));
    onSource = env.newActivityStub(TransferActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
    // The target's activities run on another node; called directly here.
    onTarget = new TransferActivitiesImpl(nodes.target);
  }

  @AfterEach
  void stop() {
    env.close();
    nodes.close();
  }

  @Test
  void a_finished_send_counts_bytes_blocks_and_outcome() throws Exception {
    DataSets.write(nodes.sourceDir.resolve("disk.img"), Shape.DISK, 4L << 20, 5);
    TransferRequest request = new TransferRequest("act-m", "disk.img", "node-b", "disk.img", TransferOptions.defaults());
    TransferResult result = onSource.send(request, onTarget.openReceive(request));

    assertThat(meters.get("novacron.transfers").tag("outcome", "succeeded").counter().count()).isEqualTo(1.0);
    assertThat(meters.get("novacron.transfer.raw").counter().count()).isEqualTo(4L << 20);
    assertThat(meters.get("novacron.transfer.wire").counter().count()).isEqualTo(result.bytesOnWire());
    assertThat(meters.get("novacron.transfer.egress").counter().count()).isEqualTo(result.bytesOnWire());
    // A mostly-zero disk: most blocks go as zero ranges, which the counter must show.
    assertThat(meters.get("novacron.transfer.blocks").tag("kind", "zero").counter().count())
        .isEqualTo(result.blocksZero()).isPositive();
    assertThat(meters.get("novacron.transfers.in.flight").gauge().value()).isZero();
  }

  @Test
  void a_copy_within_the_node_is_wire_but_not_egress() throws Exception {
    DataSets.write(nodes.sourceDir.resolve("shard.bin"), Shape.RAM, 1L << 20, 7);
    TransferActivities onSourceDirectly = new TransferActivitiesImpl(nodes.source);
    TransferRequest request = new TransferRequest("act-self", "shard.bin", "node-a", "models/shard.bin",
        TransferOptions.defaults());
    TransferResult result = onSource.send(request, onSourceDirectly.openReceive(request));

    assertThat(result.bytesOnWire()).isPositive();
    assertThat(meters.get("novacron.transfer.wire").counter().count()).isEqualTo(result.bytesOnWire());
    assertThat(meters.get("novacron.transfer.egress").counter().count()).isZero();
  }

  @Test
  void send_heartbeats_progress_and_carries_a_previous_attempts_totals() throws Exception {
    DataSets.write(nodes.sourceDir.resolve("vm.mem"), Shape.RAM, 4L << 20, 3);
    TransferRequest request = new TransferRequest("act-1", "vm.mem", "node-b", "vm.mem", TransferOptions.defaults());
    ReceiveEndpoint endpoint = onTarget.openReceive(request);
    List<TransferProgress> beats = new CopyOnWriteArrayList<>();
    env.setActivityHeartbeatListener(TransferProgress.class, beats::add);
    // As if Temporal retried after an attempt that had put 1000 bytes on the wire.
    env.setHeartbeatDetails(new TransferProgress("act-1", 1, "streaming", 4L << 20, 0, 1000, 64, 0, 0, 0, -1, "lz4"));

    TransferResult result = onSource.send(request, endpoint);
    ReceiveOutcome outcome = onTarget.closeReceive(CloseReceiveRequest.commit(result));

    // The SDK throttles heartbeats, so only the first is sure to arrive; it already counts on
    // from the previous attempt.
    assertThat(beats).isNotEmpty();
    assertThat(beats.get(0).transferId()).isEqualTo("act-1");
    assertThat(beats.get(0).attempt()).isEqualTo(2);
    assertThat(beats.get(0).bytesOnWire()).isGreaterThanOrEqualTo(1000);
    assertThat(result.attempts()).isEqualTo(2);
    assertThat(result.bytesOnWire()).isGreaterThan(1000);
    assertThat(outcome.state()).isEqualTo(ReceiveOutcome.State.COMMITTED);
    assertThat(outcome.sha256()).isEqualTo(result.sha256());
    assertThat(Files.mismatch(nodes.sourceDir.resolve("vm.mem"), Path.of(outcome.path()))).isEqualTo(-1L);
    // closeReceive is idempotent.
    assertThat(onTarget.closeReceive(CloseReceiveRequest.commit(result))).isEqualTo(outcome);
  }

  @Test
  void refusals_are_non_retryable_failures_of_the_documented_types() throws Exception {
    assertThatThrownBy(() -> onTarget.openReceive(
        new TransferRequest("act-2", "x", "node-b", "../x", TransferOptions.defaults())))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.getType()).isIn(TransferFailures.INVALID_SPEC, TransferFailures.PATH_REJECTED);
          assertThat(f.isNonRetryable()).isTrue();
        });

    Files.writeString(nodes.sourceDir.resolve("f"), "data");
    TransferRequest request = new TransferRequest("act-3", "f", "node-b", "f", TransferOptions.defaults());
    ReceiveEndpoint endpoint = onTarget.openReceive(request);
    assertThatThrownBy(() -> onSource.send(request, TwoNodes.withToken(endpoint, "AAAA")))
        .isInstanceOfSatisfying(ActivityFailure.class, f -> assertThat(((ApplicationFailure) f.getCause()).getType())
            .isEqualTo(TransferFailures.AUTH_FAILED));
    assertThat(onTarget.closeReceive(CloseReceiveRequest.abort("act-3")).state()).isEqualTo(ReceiveOutcome.State.ABORTED);
    assertThat(nodes.targetDir.resolve("f")).doesNotExist();
  }
}
