package io.novacron.workflows.model.deploy;

import java.util.List;

/**
 * What sharding produced on the source node.
 *
 * @param dir the set's directory, relative to the source agent's data directory
 * @param files every rank file, then the manifest and the config, with their checksums
 * @param seconds how long sharding and hashing took
 */
public record ShardSet(String dir, List<ShardFileRef> files, double seconds) {
  public ShardSet {
    files = List.copyOf(files);
  }
}
