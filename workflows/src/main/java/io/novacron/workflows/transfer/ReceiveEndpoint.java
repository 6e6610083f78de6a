package io.novacron.workflows.transfer;

/**
 * Where and how the sender reaches the receiver of one transfer; the answer of
 * {@link TransferActivities#openReceive}.
 *
 * <p>The per-block hashes of the receiver's existing copy (the delta base) do not travel in this
 * record: a 100 GiB disk at 64 KiB blocks has 1.6 million of them, far beyond what a Temporal
 * payload may hold. The receiver sends them on the authenticated stream; this record carries
 * their SHA-256 so that the sender can check that what it got is what the receiver computed.
 *
 * @param transferId the transfer this endpoint serves
 * @param host address the sender connects to
 * @param port TCP port of the receiver (one port serves every transfer of the node)
 * @param token one-time secret of this transfer (base64url). It authenticates the sender by
 *     challenge-response and never crosses the data connection; it stops working when the
 *     transfer is committed, aborted or expires.
 * @param expiresAtEpochMillis when the token stops working if the transfer has not finished
 * @param blockSize block size the receiver expects (the request's)
 * @param baseSize size in bytes of the existing copy used as delta base; 0 when there is none or
 *     delta is off
 * @param baseBlocks number of block hashes of the delta base the stream will deliver
 * @param baseSignatureSha256 SHA-256 (hex) of the delta base's block-hash list as sent on the
 *     stream; null when there is no delta base
 * @param acknowledgedBlocks blocks already durably received by an earlier attempt of this
 *     transfer; they will not be sent again
 */
public record ReceiveEndpoint(
    String transferId, String host, int port, String token, long expiresAtEpochMillis,
    int blockSize, long baseSize, long baseBlocks, String baseSignatureSha256,
    long acknowledgedBlocks) {

  /** {@code host:port}, for logs and for the sender's connect. */
  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    // The token is a secret: keep it out of logs and exception messages.
    return "ReceiveEndpoint[" + transferId + " at " + address() + ", blockSize=" + blockSize
        + ", baseBlocks=" + baseBlocks + ", acknowledged=" + acknowledgedBlocks + "]";
  }
}
