package io.novacron.workflows.transfer;

/**
 * Ends the receiving side of a transfer.
 *
 * @param transferId the transfer
 * @param commit true to move the verified file into place; false to abort and delete the partial
 *     file, its journal and its token
 * @param expectedSha256 SHA-256 (hex) the workflow got from {@link TransferResult#sha256()}; a
 *     commit lands only when the received bytes hash to it. Ignored on abort.
 * @param expectedSize size the workflow got from {@link TransferResult#bytesRaw()}; ignored on abort
 */
public record CloseReceiveRequest(
    String transferId, boolean commit, String expectedSha256, long expectedSize) {

  public static CloseReceiveRequest commit(TransferResult result) {
    return new CloseReceiveRequest(result.transferId(), true, result.sha256(), result.bytesRaw());
  }

  public static CloseReceiveRequest abort(String transferId) {
    return new CloseReceiveRequest(transferId, false, null, 0);
  }
}
