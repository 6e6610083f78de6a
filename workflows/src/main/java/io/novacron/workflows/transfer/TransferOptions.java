package io.novacron.workflows.transfer;

/**
 * How a transfer moves its bytes. Zero, blank or null fields take the defaults, so a workflow can
 * write {@code new TransferOptions(null, 0, true, 0, 0, true)}; {@link TransferRequestValidator}
 * rejects the values that remain out of range.
 *
 * @param codec codec policy: {@code auto} (the engine picks per chunk from measured throughput),
 *     {@code zstd:<level>} (1 to 19), {@code lz4} or {@code none}. A chunk that does not shrink is
 *     always sent raw, whatever the policy.
 * @param blockSize bytes per block, the unit of zero elision, delta and resumption: a multiple of
 *     4 KiB from 4 KiB to 8 MiB, or {@value #AUTO_BLOCK_SIZE} (the default) for the receiver's
 *     choice ({@link BlockSizeChoice}: {@value #DEFAULT_BLOCK_SIZE} without a delta base, 4 KiB with
 *     one, larger for bases over 4 GiB)
 * @param delta compare against the receiver's existing copy of the target and send only the blocks
 *     that differ
 * @param streams parallel TCP streams, 1 to {@value #MAX_STREAMS}; default {@value #DEFAULT_STREAMS}
 * @param bandwidthCapBytesPerSec cap on the bytes the sender puts on the wire per second, summed over
 *     its streams; 0 for no cap
 * @param verify check the SHA-256 of the whole assembled file against the sender's before it is
 *     moved into place (per-chunk XXH64 checks run regardless)
 */
public record TransferOptions(
    String codec, int blockSize, boolean delta, int streams, long bandwidthCapBytesPerSec,
    boolean verify) {
  public static final String AUTO = "auto";
  public static final String LZ4 = "lz4";
  public static final String NONE = "none";
  public static final String ZSTD_PREFIX = "zstd:";
  /** Leaves the block size to the receiver, which knows whether a delta base exists. */
  public static final int AUTO_BLOCK_SIZE = 0;
  /** The block size without a delta base. */
  public static final int DEFAULT_BLOCK_SIZE = 64 * 1024;
  public static final int MIN_BLOCK_SIZE = 4 * 1024;
  public static final int MAX_BLOCK_SIZE = 8 * 1024 * 1024;
  public static final int DEFAULT_STREAMS = 2;
  public static final int MAX_STREAMS = 16;

  public TransferOptions {
    codec = codec == null || codec.isBlank() ? AUTO : codec.trim();
    streams = streams == 0 ? DEFAULT_STREAMS : streams;
  }

  /** Codec auto, block size the receiver's choice, delta on, two streams, no cap, verified. */
  public static TransferOptions defaults() {
    return new TransferOptions(AUTO, AUTO_BLOCK_SIZE, true, DEFAULT_STREAMS, 0, true);
  }

  public TransferOptions withCodec(String value) {
    return new TransferOptions(value, blockSize, delta, streams, bandwidthCapBytesPerSec, verify);
  }

  public TransferOptions withBlockSize(int value) {
    return new TransferOptions(codec, value, delta, streams, bandwidthCapBytesPerSec, verify);
  }

  public TransferOptions withDelta(boolean value) {
    return new TransferOptions(codec, blockSize, value, streams, bandwidthCapBytesPerSec, verify);
  }

  public TransferOptions withStreams(int value) {
    return new TransferOptions(codec, blockSize, delta, value, bandwidthCapBytesPerSec, verify);
  }

  public TransferOptions withBandwidthCap(long bytesPerSec) {
    return new TransferOptions(codec, blockSize, delta, streams, bytesPerSec, verify);
  }

  public TransferOptions withVerify(boolean value) {
    return new TransferOptions(codec, blockSize, delta, streams, bandwidthCapBytesPerSec, value);
  }
}
