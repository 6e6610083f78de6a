package io.novacron.control.node;

import io.novacron.control.shared.ConflictException;
import io.novacron.control.shared.NotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Cordons and uncordons nodes: a cordoned node takes no new VMs (placement and migration targets
 * skip it, {@code PlacementPolicy}), its own VMs keep running. The REST API, the dashboard and the
 * drain's activity all go through here, so they refuse the same things with the same words.
 */
@Service
public class NodeCordons {
  /** Longest cordon reason kept; an operator's sentence, not a document. */
  public static final int MAX_REASON = 200;

  private final JdbcClient jdbc;
  private final Clock clock;

  NodeCordons(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * Cordons {@code node}. A node already cordoned keeps its first reason and time (a retried drain
   * or a second operator changes nothing). Returns the reason it is cordoned for.
   *
   * @throws NotFoundException for a node no agent announced
   */
  public String cordon(String node, String reason) {
    String why = reason == null || reason.isBlank() ? "cordoned by an operator" : reason.strip();
    if (why.length() > MAX_REASON) {
      why = why.substring(0, MAX_REASON);
    }
    jdbc.sql("update nodes set cordon = :why, cordoned_at = :at where name = :node and cordon is null")
        .param("why", why).param("at", Timestamp.from(clock.instant())).param("node", node)
        .update();
    return current(node).orElseThrow(() -> unknown(node));
  }

  /**
   * Uncordons {@code node}. Idempotent.
   *
   * @throws NotFoundException for a node no agent announced
   * @throws ConflictException while a drain of the node runs: it cordoned the node to empty it
   */
  public void uncordon(String node) {
    if (!exists(node)) {
      throw unknown(node);
    }
    runningDrain(node).ifPresent(run -> {
      throw new ConflictException("node '" + node + "' is being drained by run " + run
          + "; cancel that run first (POST /api/v1/runs/" + run + "/cancel), then uncordon");
    });
    jdbc.sql("update nodes set cordon = null, cordoned_at = null where name = :node").param("node", node).update();
  }

  /** The reason {@code node} is cordoned for, or "" while it is not; empty for an unknown node. */
  private Optional<String> current(String node) {
    return jdbc.sql("select coalesce(cordon, '') from nodes where name = :node").param("node", node)
        .query(String.class).optional();
  }

  /** Whether an agent announced {@code node}. */
  public boolean exists(String node) {
    return jdbc.sql("select exists (select 1 from nodes where name = :node)").param("node", node)
        .query(Boolean.class).single();
  }

  /** The id of a DrainNode run of {@code node} that has not ended, if any. */
  public Optional<String> runningDrain(String node) {
    return jdbc.sql("""
            select id from runs where type = 'DrainNode' and subject = :node and ended_at is null
            order by started_at desc limit 1""")
        .param("node", node).query(String.class).optional();
  }

  public static NotFoundException unknown(String node) {
    return new NotFoundException("node '" + node + "' is not known: no host agent has announced it; pick one of"
        + " GET /api/v1/nodes");
  }
}
