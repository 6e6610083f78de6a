package io.novacron.workflows.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BlockSizeChoiceTest {
  static final long GIB = 1L << 30;

  @Test
  void without_a_base_or_without_delta_blocks_are_64_KiB() {
    assertThat(BlockSizeChoice.choose(true, 0)).isEqualTo(64 * 1024);
    assertThat(BlockSizeChoice.choose(false, 10 * GIB)).isEqualTo(64 * 1024);
  }

  @Test
  void a_base_up_to_4_GiB_gets_4_KiB_blocks() {
    assertThat(BlockSizeChoice.choose(true, 1)).isEqualTo(4096);
    assertThat(BlockSizeChoice.choose(true, 256L << 20)).isEqualTo(4096);
    assertThat(BlockSizeChoice.choose(true, 4 * GIB)).isEqualTo(4096);
  }

  @Test
  void larger_bases_double_the_block_so_the_signature_stays_under_40_MiB() {
    assertThat(BlockSizeChoice.choose(true, 4 * GIB + 1)).isEqualTo(8192);
    assertThat(BlockSizeChoice.choose(true, 16 * GIB)).isEqualTo(16384);
    assertThat(BlockSizeChoice.choose(true, 100 * GIB)).isEqualTo(128 * 1024);
    for (long base : new long[] {1, 3 * GIB, 5 * GIB, 64 * GIB, 1000 * GIB, 8000 * GIB}) {
      int block = BlockSizeChoice.choose(true, base);
      assertThat((base + block - 1) / block).as("blocks of a %d-byte base", base)
          .isLessThanOrEqualTo(BlockSizeChoice.MAX_BASE_BLOCKS);
      assertThat(TransferRequestValidator.validate(TransferOptions.defaults().withBlockSize(block))).isEmpty();
    }
  }

  @Test
  void a_base_past_what_8_MiB_blocks_keep_small_still_gets_the_largest_valid_block() {
    assertThat(BlockSizeChoice.choose(true, Long.MAX_VALUE / 2)).isEqualTo(TransferOptions.MAX_BLOCK_SIZE);
  }

  @Test
  void an_explicit_block_size_is_kept() {
    assertThat(BlockSizeChoice.resolve(65536, true, GIB)).isEqualTo(65536);
    assertThat(BlockSizeChoice.resolve(0, true, GIB)).isEqualTo(4096);
  }

  @Test
  void the_defaults_leave_the_block_size_to_the_engine_and_validate() {
    assertThat(TransferOptions.defaults().blockSize()).isEqualTo(TransferOptions.AUTO_BLOCK_SIZE);
    assertThat(TransferRequestValidator.validate(TransferOptions.defaults())).isEmpty();
    assertThat(TransferRequestValidator.validate(TransferOptions.defaults().withBlockSize(1000)))
        .anySatisfy(e -> assertThat(e.field()).isEqualTo("options.blockSize"));
  }
}
