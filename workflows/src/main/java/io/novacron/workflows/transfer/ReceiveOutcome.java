package io.novacron.workflows.transfer;

/**
 * How the receiving side of a transfer ended.
 *
 * @param transferId the transfer
 * @param state {@code COMMITTED} (the file is in place) or {@code ABORTED} (nothing landed)
 * @param path absolute path of the file on the target node
 * @param bytes size of the file in place; 0 when aborted
 * @param sha256 SHA-256 (hex) of the file in place; null when aborted
 */
public record ReceiveOutcome(String transferId, State state, String path, long bytes, String sha256) {
  /** Final states of a receive. */
  public enum State { COMMITTED, ABORTED }
}
