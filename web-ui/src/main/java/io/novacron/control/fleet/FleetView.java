package io.novacron.control.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.workflows.fleet.VmLoad;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The inventory's VMs as the fleet planners see them ({@link VmLoad}). */
@Component
public class FleetView {
  private static final String COLUMNS = "name, node, state, vcpus, memory_mib, disk_gib, image, nics, labels";
  private final JdbcClient jdbc;
  private final ObjectMapper json;

  FleetView(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** Every VM of the inventory, by name. */
  public List<VmLoad> all() {
    return jdbc.sql("select " + COLUMNS + " from vms order by name").query((rs, i) -> load(rs)).list();
  }

  /** One VM; empty for a VM the inventory does not know. */
  public Optional<VmLoad> vm(String name) {
    return jdbc.sql("select " + COLUMNS + " from vms where name = :name").param("name", name)
        .query((rs, i) -> load(rs)).optional();
  }

  private VmLoad load(ResultSet rs) throws SQLException {
    return new VmLoad(rs.getString("name"), rs.getString("node"), rs.getString("state"), rs.getInt("vcpus"),
        rs.getLong("memory_mib"), rs.getLong("disk_gib"), rs.getString("image"), networks(rs.getString("nics")),
        labels(rs.getString("labels")));
  }

  /** The networks of a VM's NICs, {@code [{"network","mac"}]}. */
  private List<String> networks(String nics) {
    List<String> networks = new ArrayList<>();
    if (nics == null) {
      return networks;
    }
    try {
      for (JsonNode nic : json.readTree(nics)) {
        if (nic.hasNonNull("network")) {
          networks.add(nic.get("network").asText());
        }
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("vms.nics is not a JSON array: " + nics, e);
    }
    return networks;
  }

  private Map<String, String> labels(String labels) {
    try {
      return labels == null ? Map.of() : json.readValue(labels, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("vms.labels is not a JSON object: " + labels, e);
    }
  }
}
