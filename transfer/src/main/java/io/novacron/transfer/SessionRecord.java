package io.novacron.transfer;

/**
 * What the receiver keeps on disk about one open transfer, so that it can resume after a restart.
 * The token itself is not stored: it is recomputed from the node secret and {@code nonce}.
 *
 * @param transferId the transfer
 * @param target absolute path the file lands on
 * @param blockSize block size of the transfer
 * @param delta whether the existing target is the delta base
 * @param verify whether the commit checks the whole file's SHA-256
 * @param nonce hex nonce the token is derived from
 * @param expiresAtMillis when the token stops working
 * @param received true once every block is durable and the commit checks passed
 * @param size file size, once received
 * @param sha256 hex SHA-256 of the received file, once received
 */
record SessionRecord(
    String transferId, String target, int blockSize, boolean delta, boolean verify, String nonce,
    long expiresAtMillis, boolean received, long size, String sha256) {

  SessionRecord receivedAs(long bytes, String sha) {
    return new SessionRecord(transferId, target, blockSize, delta, verify, nonce, expiresAtMillis, true, bytes, sha);
  }

  SessionRecord reopened() {
    return new SessionRecord(transferId, target, blockSize, delta, verify, nonce, expiresAtMillis, false, 0, null);
  }

  SessionRecord renewed(String newNonce, long newExpiry) {
    return new SessionRecord(transferId, target, blockSize, delta, verify, newNonce, newExpiry, received, size, sha256);
  }
}
