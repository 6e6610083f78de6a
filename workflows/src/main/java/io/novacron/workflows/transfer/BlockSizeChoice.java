package io.novacron.workflows.transfer;

/**
 * The block size of a transfer whose options leave it to the engine ({@code blockSize} 0): what
 * the receiver picks when it opens the transfer, because only it knows whether a delta base exists.
 *
 * <p>Without a base, {@value TransferOptions#DEFAULT_BLOCK_SIZE}-byte blocks keep per-block costs
 * (hashes, acknowledgements, frames) small against the data. With a base, changes are usually
 * scattered pages (a guest's RAM, a re-synced disk): one changed 4 KiB page resends its whole
 * block, so 4 KiB blocks send about 16 times less than 64 KiB ones on a 5%-changed RAM image
 * (docs/bench/transfer.md). The base's signature costs {@value #SIGNATURE_ENTRY_BYTES} bytes per
 * block on the wire and in memory at both ends, so blocks double as the base grows past
 * {@value #MAX_BASE_BLOCKS} blocks: 4 KiB up to 4 GiB, 8 KiB up to 8 GiB, ..., a signature of at
 * most 40 MiB.
 */
public final class BlockSizeChoice {
  /** XXH64 and SHA-256 of one block, as the receiver advertises its base. */
  public static final int SIGNATURE_ENTRY_BYTES = 40;
  /** Above this many base blocks, blocks get larger. */
  public static final long MAX_BASE_BLOCKS = 1L << 20;

  private BlockSizeChoice() {}

  /**
   * @param delta whether the transfer compares against the receiver's copy
   * @param baseBytes size of the receiver's existing copy of the target, 0 when there is none
   * @return a valid block size: a power of two from 4 KiB to 8 MiB
   */
  public static int choose(boolean delta, long baseBytes) {
    if (!delta || baseBytes <= 0) {
      return TransferOptions.DEFAULT_BLOCK_SIZE;
    }
    long block = TransferOptions.MIN_BLOCK_SIZE;
    while (block < TransferOptions.MAX_BLOCK_SIZE && (baseBytes + block - 1) / block > MAX_BASE_BLOCKS) {
      block *= 2;
    }
    return (int) block;
  }

  /** The block size {@code requested} (0: the engine's choice) resolves to for this base. */
  public static int resolve(int requested, boolean delta, long baseBytes) {
    return requested == TransferOptions.AUTO_BLOCK_SIZE ? choose(delta, baseBytes) : requested;
  }
}
