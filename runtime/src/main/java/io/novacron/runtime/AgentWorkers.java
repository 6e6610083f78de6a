package io.novacron.runtime;

import io.temporal.worker.WorkerOptions;
import java.time.Duration;

/** Worker settings every node agent polls its queue with. */
public final class AgentWorkers {
  /**
   * The longest an activity's heartbeat waits before the SDK sends it. Temporal delivers a
   * cancellation only in a heartbeat's answer, and the SDK otherwise holds heartbeats back for
   * 80% of the heartbeat timeout (8 s for a migration's monitor): an abort would reach libvirt
   * seconds late. One a second per running activity is cheap for the server.
   */
  public static final Duration HEARTBEAT_THROTTLE = Duration.ofSeconds(1);

  private AgentWorkers() {}

  public static WorkerOptions options() {
    return WorkerOptions.newBuilder()
        .setMaxHeartbeatThrottleInterval(HEARTBEAT_THROTTLE)
        .setDefaultHeartbeatThrottleInterval(HEARTBEAT_THROTTLE)
        .build();
  }
}
