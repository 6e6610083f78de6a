package io.novacron.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.transfer.DataSets.Shape;
import io.novacron.workflows.transfer.TransferOptions;
import io.novacron.workflows.transfer.TransferResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeltaTest {
  static final int BLOCK = 4096;
  static final long SIZE = 8L << 20;

  @TempDir
  Path tmp;
  TwoNodes nodes;

  @BeforeEach
  void start() throws Exception {
    nodes = newNodes(tmp);
  }

  /** The nodes under test: plaintext here, TLS in the subclass that runs the same tests over it. */
  TwoNodes newNodes(Path tmp) throws IOException {
    return new TwoNodes(tmp);
  }

  @AfterEach
  void stop() {
    nodes.close();
  }

  @Test
  void a_five_percent_modified_file_sends_five_percent_of_its_blocks() throws Exception {
    Path base = nodes.targetDir.resolve("disk.img");
    DataSets.write(base, Shape.RANDOM, SIZE, 1);
    Path source = nodes.sourceDir.resolve("disk.img");
    long modified = DataSets.modifiedCopy(base, source, 0.05, BLOCK, 2);

    TransferResult result = nodes.transfer(TwoNodes.request("delta-5", "disk.img", "disk.img",
        TransferOptions.defaults().withBlockSize(BLOCK).withDelta(true)));

    assertThat(Files.mismatch(source, base)).isEqualTo(-1L);
    long blocks = SIZE / BLOCK;
    assertThat(modified).isEqualTo(Math.round(blocks * 0.05));
    assertThat(result.blocksSent()).isEqualTo(modified);
    assertThat(result.blocksSkipped()).isEqualTo(blocks - modified);
    // 5% of the data plus the base's block hashes (40 bytes per 4 KiB block, 1%) and framing.
    assertThat(result.bytesOnWire()).isBetween((long) (SIZE * 0.05), (long) (SIZE * 0.07));
  }

  @Test
  void by_default_a_transfer_onto_a_base_uses_4_KiB_blocks_and_one_without_a_base_64_KiB() throws Exception {
    Path base = nodes.targetDir.resolve("ram.img");
    DataSets.write(base, Shape.RANDOM, SIZE, 5);
    Path source = nodes.sourceDir.resolve("ram.img");
    long modified = DataSets.modifiedCopy(base, source, 0.05, BLOCK, 6);

    TransferResult onBase = nodes.transfer(TwoNodes.request("default-on-base", "ram.img", "ram.img",
        TransferOptions.defaults()));
    TransferResult fresh = nodes.transfer(TwoNodes.request("default-fresh", "ram.img", "fresh.img",
        TransferOptions.defaults()));

    assertThat(Files.mismatch(source, base)).isEqualTo(-1L);
    assertThat(Files.mismatch(source, nodes.targetDir.resolve("fresh.img"))).isEqualTo(-1L);
    // Scattered 4 KiB changes: with 64 KiB blocks about 56% of them would differ and be resent.
    assertThat(onBase.blocksSent()).isEqualTo(modified);
    assertThat(onBase.blocksSent() + onBase.blocksSkipped()).isEqualTo(SIZE / BLOCK);
    assertThat(onBase.bytesOnWire()).isLessThan((long) (SIZE * 0.07));
    assertThat(fresh.blocksSent()).isEqualTo(SIZE / TransferOptions.DEFAULT_BLOCK_SIZE);
  }

  @Test
  void without_delta_the_same_change_sends_everything() throws Exception {
    Path base = nodes.targetDir.resolve("disk.img");
    DataSets.write(base, Shape.RANDOM, SIZE, 1);
    Path source = nodes.sourceDir.resolve("disk.img");
    DataSets.modifiedCopy(base, source, 0.05, BLOCK, 2);

    TransferResult result = nodes.transfer(TwoNodes.request("delta-off", "disk.img", "disk.img",
        TransferOptions.defaults().withBlockSize(BLOCK).withDelta(false)));

    assertThat(Files.mismatch(source, base)).isEqualTo(-1L);
    assertThat(result.blocksSent()).isEqualTo(SIZE / BLOCK);
    assertThat(result.bytesOnWire()).isGreaterThan(SIZE);
  }

  @Test
  void blocks_that_moved_are_copied_from_where_they_are_now() throws Exception {
    Path base = nodes.targetDir.resolve("shifted.img");
    DataSets.write(base, Shape.RANDOM, SIZE, 3);
    Path source = nodes.sourceDir.resolve("shifted.img");
    Path inserted = tmp.resolve("one-block.bin");
    DataSets.write(inserted, Shape.RANDOM, BLOCK, 4);
    try (OutputStream out = Files.newOutputStream(source)) {
      out.write(Files.readAllBytes(inserted));
      out.write(Files.readAllBytes(base));
    }

    TransferResult result = nodes.transfer(TwoNodes.request("delta-shift", "shifted.img", "shifted.img",
        TransferOptions.defaults().withBlockSize(BLOCK)));

    assertThat(Files.mismatch(source, base)).isEqualTo(-1L);
    assertThat(result.blocksSent()).isEqualTo(1);
    assertThat(result.blocksSkipped()).isEqualTo(SIZE / BLOCK);
  }

  @Test
  void a_long_copy_run_ending_in_a_short_block_lands_whole() throws Exception {
    // One changed byte in the first block: the rest is one CopyRun of ~2,000 blocks, copied in
    // groups of many blocks per read and write, the last group ending in a short block.
    int size = (int) SIZE + 1000;
    byte[] bytes = new byte[size];
    new java.util.Random(9).nextBytes(bytes);
    Path base = nodes.targetDir.resolve("odd.img");
    Files.write(base, bytes);
    bytes[5] ^= 1;
    Path source = nodes.sourceDir.resolve("odd.img");
    Files.write(source, bytes);

    TransferResult result = nodes.transfer(TwoNodes.request("delta-odd", "odd.img", "odd.img",
        TransferOptions.defaults().withBlockSize(BLOCK).withDelta(true)));

    assertThat(Files.mismatch(source, base)).isEqualTo(-1L);
    assertThat(result.blocksSent()).isEqualTo(1);
    assertThat(result.blocksSkipped()).isEqualTo((size + BLOCK - 1) / BLOCK - 1);
  }
}
