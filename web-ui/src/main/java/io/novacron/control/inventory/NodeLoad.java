package io.novacron.control.inventory;

import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Capacity held on each node: placement's reservations (VMs, provisionings in flight) and migrations in flight. */
@Service
public class NodeLoad {
  private final JdbcClient jdbc;

  NodeLoad(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** What one node has reserved, and how many VMs it holds. */
  public record Reserved(long vcpus, long memoryMib, long diskGib, long vms) {
    public static final Reserved NONE = new Reserved(0, 0, 0, 0);
  }

  /** Reserved capacity by node name; nodes without reservations are absent. */
  public Map<String, Reserved> byNode() {
    Map<String, Reserved> load = new HashMap<>();
    jdbc.sql("select node, sum(vcpus), sum(memory_mib), sum(disk_gib) from held_capacity group by node")
        .query((rs, row) -> load.put(rs.getString(1),
            new Reserved(rs.getLong(2), rs.getLong(3), rs.getLong(4), 0)))
        .list();
    jdbc.sql("select node, count(*) from vms group by node")
        .query((rs, row) -> load.merge(rs.getString(1), new Reserved(0, 0, 0, rs.getLong(2)),
            (held, vms) -> new Reserved(held.vcpus(), held.memoryMib(), held.diskGib(), vms.vms())))
        .list();
    return load;
  }
}
