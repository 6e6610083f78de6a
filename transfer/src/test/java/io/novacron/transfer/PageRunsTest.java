package io.novacron.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
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
}
