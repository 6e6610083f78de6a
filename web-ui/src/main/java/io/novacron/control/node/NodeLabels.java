package io.novacron.control.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.control.shared.LabelStore;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A node's labels, which VMs' node selectors ask for ({@code NodeSelector}): replaced or merged as
 * a VM's are. The operator's: the node's agent neither knows nor overwrites them.
 */
@Service
public class NodeLabels {
  private final LabelStore store;

  NodeLabels(JdbcClient jdbc, ObjectMapper json) {
    this.store = new LabelStore(jdbc, json, "nodes", "node");
  }

  @Transactional
  public Map<String, String> replace(String node, Map<String, String> labels) {
    return store.replace(node, labels);
  }

  @Transactional
  public Map<String, String> merge(String node, Map<String, String> patch) {
    return store.merge(node, patch);
  }
}
