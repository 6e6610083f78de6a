package io.novacron.workflows.model.deploy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one node of a deployment gets each of its files, and which of them it passes on: its part
 * of the {@link FanOutPlan}.
 *
 * @param upstreams file name to the node it pulls that file from, once that node has committed it;
 *     a file not listed comes from the source node's shard set
 * @param forwarded files a downstream node pulls from this one: this node announces each of them
 *     once it holds a verified copy (committed against the shard set's digest, or found unchanged)
 */
public record NodeFanOut(Map<String, Upstream> upstreams, List<String> forwarded) {
  /** Every file from the source, nothing passed on: what a run recorded before fan-out did. */
  public static final NodeFanOut FROM_SOURCE = new NodeFanOut(Map.of(), List.of());

  public NodeFanOut {
    // Ordered and unmodifiable: the plan's order is the node's file order.
    upstreams = Collections.unmodifiableMap(new LinkedHashMap<>(upstreams));
    forwarded = List.copyOf(forwarded);
  }

  /**
   * A node that holds a copy of a file.
   *
   * @param node the node; its GPU agent sends the file
   * @param dir the directory the file lies in there, relative to that agent's data directory
   */
  public record Upstream(String node, String dir) {}

  /** The node to pull {@code file} from, or null for the source. */
  public Upstream upstream(String file) {
    return upstreams.get(file);
  }

  /** Whether a downstream node waits for this node's copy of {@code file}. */
  public boolean forwards(String file) {
    return forwarded.contains(file);
  }
}
