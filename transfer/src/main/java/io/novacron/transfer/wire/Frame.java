package io.novacron.transfer.wire;

import java.util.List;

/**
 * The frames of the transfer protocol (docs/transfer-engine.md has the byte layout). Sender to
 * receiver: {@link Hello}, {@link Auth}, {@link Data}, {@link ZeroRun}, {@link CopyRun},
 * {@link Flush}, {@link Commit}, {@link End}. Receiver to sender: {@link Challenge},
 * {@link Accept}, {@link BaseHashes}, {@link Ack}, {@link Committed}, {@link Error}.
 */
public sealed interface Frame {
  /** Opens a connection for one stream of one transfer. */
  record Hello(String transferId, int stream) implements Frame {}

  /** The receiver's fresh random challenge for this connection. */
  record Challenge(byte[] nonce) implements Frame {}

  /**
   * Proves the sender holds the token: {@code proof = HMAC-SHA256(token, challenge, id, stream)};
   * and says what it sends.
   *
   * @param attempt random id of the sender's attempt; a new one on stream 0 supersedes the old
   * @param fingerprint of the source (size, modification time): another one discards the
   *     receiver's partial file
   * @param wantBase ask for the delta base's block hashes (stream 0 only)
   */
  record Auth(byte[] proof, long attempt, long sourceSize, int blockSize, long fingerprint,
      int streams, boolean wantBase) implements Frame {}

  /**
   * The connection is accepted. On stream 0 it lists the blocks the receiver's journal already
   * holds, and how many base hashes follow.
   */
  record Accept(List<BlockRange> acknowledged, long baseBlocks) implements Frame {}

  /** A slice of the delta base's block hashes: {@value Wire#BASE_ENTRY} bytes per block. */
  record BaseHashes(byte[] entries) implements Frame {}

  /**
   * One block of data. {@code payload[offset, offset+length)} is only valid until the next read
   * from the same {@link FrameReader}.
   *
   * @param check XXH64 of the raw block, seeded with the hash of this frame's header
   * @param headerSeed that seed, which the receiver recomputes from the header it read
   */
  record Data(long block, int codec, int rawLength, byte[] payload, int offset, int length,
      long check, long headerSeed) implements Frame {}

  /** Blocks that are all zero: no data follows. */
  record ZeroRun(long start, int count) implements Frame {}

  /** Blocks the receiver copies from its delta base, block {@code from} onwards. */
  record CopyRun(long start, long from, int count) implements Frame {}

  /** Asks the receiver to make what it has durable and acknowledge it now. */
  record Flush() implements Frame {}

  /**
   * Everything is sent: check and keep. {@code mac = HMAC-SHA256(token, challenge, size, sha256)}.
   */
  record Commit(long size, byte[] sha256, byte[] mac) implements Frame {}

  /** The sender closes this stream. */
  record End() implements Frame {}

  /** Blocks now durable in the receiver's partial file and journal. */
  record Ack(List<BlockRange> ranges) implements Frame {}

  /** The receiver holds the whole file, verified: it hashes to {@code sha256}. */
  record Committed(byte[] sha256) implements Frame {}

  /** The receiver refuses or drops the connection; {@code code} is a TransferError code. */
  record Error(int code, String message) implements Frame {}
}
