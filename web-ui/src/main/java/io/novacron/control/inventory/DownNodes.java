package io.novacron.control.inventory;

import io.novacron.workflows.provision.NodeCapacity;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The nodes that are down: their host agent announced itself once and then missed three
 * announcements ({@link NodeRow#hostStale}). Placement already refuses them; the API and the
 * dashboard show their VMs' state as {@value VmRow#UNKNOWN}, since nobody can tell whether the
 * guests still run. Nothing is restarted elsewhere: without shared storage the disks are on the
 * silent node.
 */
@Component
public class DownNodes {
  private final JdbcClient jdbc;
  private final Clock clock;

  DownNodes(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * The names of the nodes down now. Every VM list asks, so it reads only the three columns the
   * rule needs, not whole node records (facts, GPUs, labels) through the repository's mapping.
   */
  public Set<String> now() {
    long now = clock.instant().toEpochMilli();
    Set<String> down = new HashSet<>();
    jdbc.sql("select name, host_seen_at, host_announce_interval_s from nodes where host_seen_at is not null")
        .query((RowCallbackHandler) rs -> {
          if (NodeCapacity.isStale(rs.getTimestamp(2).getTime(), rs.getInt(3), now)) {
            down.add(rs.getString(1));
          }
        });
    return down;
  }

  /** The VM as it can be known now: state {@value VmRow#UNKNOWN} on a down node. */
  public static VmRow asSeen(VmRow vm, Set<String> down) {
    return down.contains(vm.node()) && !vm.missing() ? vm.withState(VmRow.UNKNOWN) : vm;
  }
}
