package io.novacron.workflows.transfer;

/**
 * One file to move from the node that runs {@link TransferActivities#send} to {@code targetNode}.
 *
 * @param transferId idempotency key, e.g. from {@code Workflow.randomUUID()}: letters, digits,
 *     '.', '_' and '-', at most 128. A retried {@code openReceive} with the same id resumes the same
 *     partial file; a new transfer of the same file needs a new id.
 * @param sourcePath file on the sending node, relative to (or inside) that agent's data directory
 * @param targetNode node that receives; its host queue runs {@code openReceive} and
 *     {@code closeReceive}
 * @param targetPath where the file lands on the target node, relative to (or inside) that agent's
 *     data directory; its existing copy, if any, is the delta base
 * @param options codec, block size, delta, streams, cap and verification; null for the defaults
 */
public record TransferRequest(
    String transferId, String sourcePath, String targetNode, String targetPath,
    TransferOptions options) {

  public TransferRequest {
    options = options == null ? TransferOptions.defaults() : options;
  }
}
