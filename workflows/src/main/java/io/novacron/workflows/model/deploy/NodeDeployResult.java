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
 * @param bytesVerified bytes whose SHA-256 the node checked against the manifest before launching
 * @param gpu what the GPU check found
 * @param processes the processes serving, ready
 */
public record NodeDeployResult(String node, int filesSent, int filesSkipped, long bytesOnWire, long blocksResumed,
    long bytesVerified, GpuCheck gpu, List<ServingProcess> processes) {
  public NodeDeployResult {
    processes = List.copyOf(processes);
  }
}
