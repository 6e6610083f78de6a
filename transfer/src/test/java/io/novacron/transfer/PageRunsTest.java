package io.novacron.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.transfer.codec.ZeroPages;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PageRunsTest {
  static final int PAGE = PageRuns.PAGE;

  private static int[] runs(byte[] data, int length) {
    int[] out = PageRuns.buffer(data.length);
    int n = PageRuns.nonZero(data, length, out);
    return Arrays.copyOf(out, 2 * n);
  }

  private static byte[] pages(int count, int... nonZero) {
    byte[] b = new byte[count * PAGE];
    for (int p : nonZero) {
      b[p * PAGE + 17] = 1;
    }
    return b;
  }

  @Test
  void an_all_zero_block_has_no_runs() {
    assertThat(runs(new byte[16 * PAGE], 16 * PAGE)).isEmpty();
  }

  @Test
  void a_block_without_zero_pages_is_one_run() {
    byte[] b = new byte[16 * PAGE];
    Arrays.fill(b, (byte) 7);
    assertThat(runs(b, b.length)).containsExactly(0, 16 * PAGE);
  }

  @Test
  void neighbouring_non_zero_pages_merge_and_zero_pages_split() {
    // pages 1,2 | 5 | 15 (the last)
    assertThat(runs(pages(16, 1, 2, 5, 15), 16 * PAGE))
        .containsExactly(PAGE, 2 * PAGE, 5 * PAGE, PAGE, 15 * PAGE, PAGE);
  }

  @Test
  void alternating_pages_fit_the_buffer() {
    byte[] b = pages(16, 0, 2, 4, 6, 8, 10, 12, 14);
    int[] r = runs(b, b.length);
    assertThat(r).hasSize(16);
    assertThat(r[14]).isEqualTo(14 * PAGE);
  }

  @Test
  void a_short_last_page_runs_to_the_length_and_bytes_past_it_are_ignored() {
    byte[] b = new byte[16 * PAGE];
    b[2 * PAGE + 5] = 1;
    b[3 * PAGE] = 9; // beyond the length: not part of this block
    assertThat(runs(b, 2 * PAGE + 100)).containsExactly(2 * PAGE, 100);
  }

  @Test
  void a_length_beyond_the_array_names_the_problem() {
    assertThatThrownBy(() -> PageRuns.nonZero(new byte[PAGE], PAGE + 1, new int[4]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length");
  }

  /** The runs read from the bitmap {@link ZeroPages#pack} makes, as the receiver gets it. */
  private static int[] runsFromBitmap(byte[] data, int length) {
    byte[] bitmap = new byte[ZeroPages.bitmapBytes(length) + 3];
    byte[] packed = new byte[data.length];
    // at an offset, as in a frame's payload
    byte[] framed = new byte[ZeroPages.bitmapBytes(length)];
    ZeroPages.pack(data, length, framed, packed);
    System.arraycopy(framed, 0, bitmap, 3, framed.length);
    int[] out = PageRuns.buffer(data.length);
    int n = PageRuns.fromBitmap(bitmap, 3, length, out);
    return Arrays.copyOf(out, 2 * n);
  }

  @Test
  void the_senders_bitmap_gives_the_same_runs_as_a_scan() {
    Random rnd = new Random(17);
    for (int i = 0; i < 200; i++) {
      int pageCount = 2 + rnd.nextInt(15);
      byte[] b = new byte[16 * PAGE];
      for (int p = 0; p < pageCount; p++) {
        if (rnd.nextBoolean()) {
          b[p * PAGE + rnd.nextInt(PAGE)] = (byte) (1 + rnd.nextInt(200));
        }
      }
      int length = (pageCount - 1) * PAGE + 1 + rnd.nextInt(PAGE);
      b[length - 1] |= (byte) (rnd.nextBoolean() ? 1 : 0);
      assertThat(runsFromBitmap(b, length)).as("block %d, %d bytes", i, length).containsExactly(runs(b, length));
    }
  }

  @Test
  void runs_set_from_a_bitmap_are_not_scanned_again() {
    // Every page holds data, but the bitmap says pages 0 and 2 are zero: the buffer must trust
    // the bitmap (the frame's checksum already covered the unpacked block), not scan.
    byte[] b = new byte[4 * PAGE];
    Arrays.fill(b, (byte) 5);
    PageRuns pages = new PageRuns(b.length);
    pages.fromBitmap(new byte[] {0b0101}, 0, b.length);
    assertThat(pages.of(b, b.length)).isEqualTo(2);
    assertThat(new int[] {pages.start(0), pages.length(0), pages.start(1), pages.length(1)})
        .containsExactly(PAGE, PAGE, 3 * PAGE, PAGE);
  }

  @Test
  void unknown_runs_are_scanned_and_the_buffer_is_reused_per_block() {
    PageRuns pages = new PageRuns(4 * PAGE);
    pages.fromBitmap(new byte[] {0b0101}, 0, 4 * PAGE);
    pages.unknown();
    byte[] b = pages(4, 0);
    assertThat(pages.of(b, b.length)).isEqualTo(1);
    assertThat(pages.start(0)).isZero();
    assertThat(pages.length(0)).isEqualTo(PAGE);
    // the next block, also unknown: scanned afresh, not the previous block's runs
    pages.unknown();
    byte[] c = pages(4, 3);
    assertThat(pages.of(c, c.length)).isEqualTo(1);
    assertThat(pages.start(0)).isEqualTo(3 * PAGE);
  }
}
