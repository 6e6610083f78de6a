package io.novacron.control.inventory;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
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
  private final NodeRepository nodes;
  private final Clock clock;

  DownNodes(NodeRepository nodes, Clock clock) {
    this.nodes = nodes;
    this.clock = clock;
  }

  /** The names of the nodes down now. */
  public Set<String> now() {
    Instant now = clock.instant();
    return nodes.findAllByOrderByName().stream().filter(n -> n.hostSeenAt() != null && n.hostStale(now))
        .map(NodeRow::name).collect(Collectors.toSet());
  }

  /** The VM as it can be known now: state {@value VmRow#UNKNOWN} on a down node. */
  public static VmRow asSeen(VmRow vm, Set<String> down) {
    return down.contains(vm.node()) && !vm.missing() ? vm.withState(VmRow.UNKNOWN) : vm;
  }
}
