package io.novacron.workflows.model.deploy;

import java.util.List;

/**
 * What one node's child run did.
 *
 * @param node the node
 * @param filesSent files moved by the transfer engine
 * @param filesSkipped files already there with the right checksum (an earlier revision's)
 * @param bytesOnWire bytes the transfers put on the network
 * @param blocksResumed blocks a transfer did not send again because the receiver's journal already
 *     held them (an interrupted transfer that resumed)
 * @param bytesVerified bytes of the node's files checked before launching: each file's SHA-256 once
 *     against the shard set's (by the transfer engine on receipt, or found unchanged), then sizes and
 *     layout ({@link GpuActivities#checkShards}); a run from before version files-in-flight hashed
 *     them again ({@link GpuActivities#verifyShards})
 * @param gpu what the GPU check found
 * @param processes the processes serving, ready
 */
public record NodeDeployResult(String node, int filesSent, int filesSkipped, long bytesOnWire, long blocksResumed,
    long bytesVerified, GpuCheck gpu, List<ServingProcess> processes) {
  public NodeDeployResult {
    processes = List.copyOf(processes);
  }
}
