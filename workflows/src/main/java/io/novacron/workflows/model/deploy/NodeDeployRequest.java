package io.novacron.workflows.model.deploy;

import java.util.List;

/**
 * One node's part of a deployment: the files to move there and the processes to start there.
 *
 * @param deployment deployment name
 * @param revision the parent run's id: transfer ids derive from it, so a retried child resumes its
 *     own transfers and a new revision opens new ones
 * @param sourceNode node holding the shard set
 * @param sourceDir the shard set's directory on the source node
 * @param node this node
 * @param targetDir where the files land, relative to the node's GPU agent data directory
 * @param files the files this node needs: its ranks' files and those every rank needs (the
 *     manifest, config and tokenizer files)
 * @param launches one per replica that has ranks on this node
 * @param readyTimeoutSeconds how long each process may take to become healthy
 * @param bandwidthCapBytesPerSec cap on each transfer; 0 for none
 * @param format the files' format, which decides how they are verified; null (a request from
 *     before the field) for {@link ShardFormat#NOVACRON}
 */
public record NodeDeployRequest(String deployment, String revision, String sourceNode, String sourceDir,
    String node, String targetDir, List<ShardFileRef> files, List<LaunchRequest> launches,
    int readyTimeoutSeconds, long bandwidthCapBytesPerSec, ShardFormat format) {
  public NodeDeployRequest {
    format = format == null ? ShardFormat.NOVACRON : format;
    files = List.copyOf(files);
    launches = List.copyOf(launches);
  }
}
