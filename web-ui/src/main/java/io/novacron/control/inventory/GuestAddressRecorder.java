package io.novacron.control.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.workflows.node.DomainFact;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps each VM's IP addresses as its node last announced them. Informational only: it never
 * touches a record's state, node or {@code updated_at}, which the reconciliation with libvirt owns.
 */
@Component
class GuestAddressRecorder {
  private final JdbcClient jdbc;
  private final ObjectMapper json;

  GuestAddressRecorder(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** Records the addresses of the VMs on {@code node}; a VM whose domain reports none has none. */
  void record(String node, List<DomainFact> domains) {
    if (domains == null) {
      return;
    }
    jdbc.sql("update vms set addresses = null where node = :node and addresses is not null")
        .param("node", node).update();
    for (DomainFact domain : domains) {
      if (domain.addresses() == null || domain.addresses().isEmpty()) {
        continue;
      }
      jdbc.sql("update vms set addresses = :addresses where node = :node and lower(uuid) = :uuid")
          .param("addresses", toJson(domain.addresses()))
          .param("node", node)
          .param("uuid", domain.uuid().toLowerCase(Locale.ROOT))
          .update();
    }
  }

  private String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("addresses are plain records", e);
    }
  }
}
