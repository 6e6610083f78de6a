package io.novacron.control.inventory;

import io.novacron.workflows.node.DomainFact;
import io.novacron.workflows.provision.NodeCapacity;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The domain list each node announced last ({@code node_domains}, read at
 * {@code nodes.domains_collected_at}) and what those lists say about one VM. A list is evidence
 * about a VM only when it was read after the VM's record last changed: an older one predates what
 * the record says, and can neither move nor resurrect it.
 */
@Component
class NodeDomains {
  /** A node's domain with the uuid asked for, as that node last announced it. */
  record Sighting(String node, String state) {}

  private final JdbcClient jdbc;
  private final Clock clock;

  NodeDomains(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * Stores {@code domains} as the node's list, unless one read at the same time or later is stored
   * already (a retried activity, or an announcement overtaken by a newer one); returns whether it did.
   */
  boolean replace(String node, List<DomainFact> domains, long collectedAtMillis) {
    Timestamp at = new Timestamp(collectedAtMillis);
    int newer = jdbc.sql("""
            update nodes set domains_collected_at = :at
            where name = :node and (domains_collected_at is null or domains_collected_at < :at)""")
        .param("node", node).param("at", at).update();
    if (newer == 0) {
      return false;
    }
    jdbc.sql("delete from node_domains where node = :node").param("node", node).update();
    for (DomainFact d : domains) {
      jdbc.sql("""
              insert into node_domains (node, uuid, name, state, vcpus, memory_mib)
              values (:node, :uuid, :name, :state, :vcpus, :mem) on conflict (node, uuid) do nothing""")
          .param("node", node).param("uuid", d.uuid()).param("name", d.name()).param("state", d.state())
          .param("vcpus", d.vcpus()).param("mem", d.memoryMib())
          .update();
    }
    return true;
  }

  /** The node's agent announces no domains (an older agent): what it said before is no evidence any more. */
  void forget(String node) {
    jdbc.sql("delete from node_domains where node = :node").param("node", node).update();
    jdbc.sql("update nodes set domains_collected_at = null where name = :node").param("node", node).update();
  }

  /**
   * A fresh node other than {@code exceptNode} whose list, read after {@code recordChangedMillis},
   * has {@code uuid}; the newest such list where several do.
   */
  Optional<Sighting> freshSighting(String uuid, String exceptNode, long recordChangedMillis) {
    long now = clock.millis();
    return jdbc.sql("""
            select d.node, d.state, n.host_seen_at, n.host_announce_interval_s
            from node_domains d join nodes n on n.name = d.node
            where d.uuid = :uuid and d.node <> :node and n.domains_collected_at > :changed
              and n.host_seen_at is not null
            order by n.domains_collected_at desc""")
        .param("uuid", uuid).param("node", exceptNode).param("changed", new Timestamp(recordChangedMillis))
        .query((rs, i) -> NodeCapacity.isStale(rs.getTimestamp("host_seen_at").getTime(),
                rs.getInt("host_announce_interval_s"), now)
            ? null : new Sighting(rs.getString("node"), rs.getString("state")))
        .list().stream().filter(Objects::nonNull).findFirst();
  }

  /** Whether {@code node} announced, after {@code recordChangedMillis}, a list without {@code uuid}. */
  boolean dropped(String node, String uuid, long recordChangedMillis) {
    return jdbc.sql("""
            select exists (select 1 from nodes n where n.name = :node and n.domains_collected_at > :changed
                and not exists (select 1 from node_domains d where d.node = n.name and d.uuid = :uuid))""")
        .param("node", node).param("uuid", uuid).param("changed", new Timestamp(recordChangedMillis))
        .query(Boolean.class).single();
  }
}
