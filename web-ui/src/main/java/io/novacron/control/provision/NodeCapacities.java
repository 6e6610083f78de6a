package io.novacron.control.provision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.workflows.provision.NodeCapacity;
import java.util.Map;
import java.util.Arrays;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What each announced node has and what is reserved on it: the input of the placement rules, for
 * provisioning (inside its locking transaction) and for a migration's target check.
 */
@Component
public class NodeCapacities {
  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};
  private final JdbcClient jdbc;
  private final ObjectMapper json;

  NodeCapacities(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  private Map<String, String> labels(String labels) {
    try {
      return labels == null ? Map.of() : json.readValue(labels, LABELS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("nodes.labels is not a JSON object of strings: " + labels, e);
    }
  }

  /** Every announced node, or only {@code nodeOrNull}; ordered by name. */
  public List<NodeCapacity> read(String nodeOrNull) {
    return jdbc.sql("""
            select n.name, n.cpus, n.memory_mib, n.storage_free_gib, n.images, n.networks, n.cordon, n.labels, n.host_seen_at,
                   n.host_announce_interval_s,
                   coalesce((select sum(r.vcpus) from held_capacity r where r.node = n.name), 0) as vcpus,
                   coalesce((select sum(r.memory_mib) from held_capacity r where r.node = n.name), 0) as mem,
                   coalesce((select sum(r.disk_gib) from held_capacity r where r.node = n.name and not r.bound), 0) as disk
            from nodes n
            where n.host_seen_at is not null and (cast(:node as text) is null or n.name = :node)
            order by n.name""")
        .param("node", nodeOrNull)
        .query((rs, i) -> new NodeCapacity(
            rs.getString("name"), rs.getInt("cpus"), rs.getLong("memory_mib"),
            rs.getLong("storage_free_gib"), csv(rs.getString("images")),
            rs.getInt("vcpus"), rs.getLong("mem"), rs.getLong("disk"),
            rs.getTimestamp("host_seen_at").getTime(), rs.getInt("host_announce_interval_s"),
            rs.getString("networks") == null ? null : csv(rs.getString("networks")),
            rs.getString("cordon"), labels(rs.getString("labels"))))
        .list();
  }

  /** A comma-separated column (images, networks) as a list. */
  private static List<String> csv(String csv) {
    return csv == null || csv.isBlank() ? List.of() : Arrays.asList(csv.split(","));
  }
}
