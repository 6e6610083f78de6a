package io.novacron.transfer.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AutoCodecSelectorTest {
  // Single-core speeds (bytes/s) and output/input ratios for none, lz4, zstd 1, 3, 6, 9, 12.
  static final double[] SPEED = {8e9, 700e6, 350e6, 180e6, 70e6, 40e6, 15e6};
  static final double[] COMPRESSIBLE = {1.0, 0.50, 0.40, 0.36, 0.34, 0.33, 0.32};
  static final double[] INCOMPRESSIBLE = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};

  static String pick(double[] ratio, double linkBytesPerSec, int workers) {
    return AutoCodecSelector.LADDER.get(AutoCodecSelector.best(SPEED, ratio, linkBytesPerSec, workers, 0)).label();
  }

  @Test
  void a_link_faster_than_any_compressor_sends_raw() {
    assertThat(pick(COMPRESSIBLE, 5e9, 2)).isEqualTo("none");
    assertThat(pick(COMPRESSIBLE, Double.POSITIVE_INFINITY, 2)).isEqualTo("none");
  }

  @Test
  void a_fast_link_gets_lz4() {
    // 10 Gbit/s with one core: lz4 (700 MB/s) beats raw (1.25 GB/s of link, but only after
    // halving the bytes does lz4 reach its own limit first) and zstd (too slow).
    assertThat(pick(COMPRESSIBLE, 1.25e9 * 0.5, 1)).isEqualTo("lz4");
  }

  @Test
  void slower_links_buy_higher_zstd_levels_with_the_spare_cpu() {
    assertThat(pick(COMPRESSIBLE, 125e6, 2)).isEqualTo("zstd:3"); // 1 Gbit/s
    assertThat(pick(COMPRESSIBLE, 12.5e6, 2)).isIn("zstd:6", "zstd:9"); // 100 Mbit/s
    // At 200 Mbit/s two cores afford a higher level than one.
    assertThat(pick(COMPRESSIBLE, 25e6, 2)).isEqualTo("zstd:6");
    assertThat(pick(COMPRESSIBLE, 25e6, 1)).isEqualTo("zstd:3");
  }

  @Test
  void among_nearly_equal_codecs_the_cheapest_wins() {
    // zstd 9 would deliver 3% more than zstd 6 here: not worth its CPU.
    assertThat(pick(COMPRESSIBLE, 12.5e6, 2)).isEqualTo("zstd:6");
  }

  @Test
  void incompressible_data_goes_raw_even_on_a_slow_link() {
    assertThat(pick(INCOMPRESSIBLE, 12.5e6, 2)).isEqualTo("none");
  }

  @Test
  void a_small_gain_does_not_make_the_choice_flap() {
    double[] ratio = {1.0, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99};
    int current = 0;
    assertThat(AutoCodecSelector.best(SPEED, ratio, 12.5e6, 2, current)).isEqualTo(current);
  }

  @Test
  void a_capped_link_starts_on_zstd_and_an_uncapped_one_on_lz4() {
    assertThat(new AutoCodecSelector(2, 10_000_000).current().codec()).isEqualTo(Codec.ZSTD);
    assertThat(new AutoCodecSelector(2, 0).current()).isEqualTo(CodecChoice.LZ4);
  }

  @Test
  void the_loop_climbs_while_the_link_is_the_bottleneck_and_the_next_rung_pays() {
    double[] ratio = {1.0, 0.55, 0.45, 0.42, 0.40, 0.39, 0.38};
    assertThat(AutoCodecSelector.step(1, 0.9, 0.05, 0.3, ratio)).isEqualTo(2);
    assertThat(AutoCodecSelector.step(3, 0.6, 0.3, 0.3, ratio)).isEqualTo(4);
    // Blocked but the next rung barely shrinks more: stay.
    double[] flat = {1.0, 0.55, 0.45, 0.449, 0.448, 0.447, 0.446};
    assertThat(AutoCodecSelector.step(2, 0.9, 0.05, 0.3, flat)).isEqualTo(2);
    // Neither blocked nor busy (socket buffers still filling, or the reader is slow): stay.
    assertThat(AutoCodecSelector.step(3, 0.05, 0.2, 0.3, ratio)).isEqualTo(3);
  }

  @Test
  void the_loop_descends_while_compression_is_the_bottleneck() {
    double[] ratio = {1.0, 0.55, 0.45, 0.42, 0.40, 0.39, 0.38};
    assertThat(AutoCodecSelector.step(5, 0.05, 0.9, 0.3, ratio)).isEqualTo(4);
    assertThat(AutoCodecSelector.step(1, 0.05, 0.9, 0.3, ratio)).isEqualTo(0);
    assertThat(AutoCodecSelector.step(0, 0.05, 0.9, 0.3, ratio)).isEqualTo(0);
  }

  @Test
  void without_cpu_headroom_the_loop_does_not_climb_and_when_saturated_it_descends() {
    double[] ratio = {1.0, 0.55, 0.45, 0.42, 0.40, 0.39, 0.38};
    // A slow link, but the machine is busy (guests, or the receiver on the same host).
    assertThat(AutoCodecSelector.step(2, 0.9, 0.05, 0.9, ratio)).isEqualTo(2);
    assertThat(AutoCodecSelector.step(2, 0.9, 0.05, 0.99, ratio)).isEqualTo(1);
  }

  @Test
  void compression_that_does_not_pay_drops_to_none() {
    double[] random = {1.0, 1.0, 0.99, 0.99, 0.99, 0.99, 0.99};
    assertThat(AutoCodecSelector.step(3, 0.9, 0.1, 0.3, random)).isEqualTo(0);
    assertThat(AutoCodecSelector.step(0, 0.9, 0.1, 0.3, random)).isEqualTo(0);
  }

  @Test
  void measured_time_moves_the_choice() {
    long[] now = {0};
    AutoCodecSelector selector = new AutoCodecSelector(2, 0, () -> now[0], () -> 0.3);
    // Compressible chunks; two workers spend 80% of the wall-clock time blocked on the socket.
    for (int i = 0; i < 1000; i++) {
      CodecChoice c = selector.next(0);
      selector.compressed(c, 65536, 20000 - 1000 * AutoCodecSelector.LADDER.indexOf(c), 100_000);
      CodecChoice probe = selector.probe(0);
      if (probe != null) {
        selector.compressed(probe, 65536, 20000 - 1000 * AutoCodecSelector.LADDER.indexOf(probe), 100_000);
      }
      now[0] += 5_000_000;
      selector.wrote(20000, 8_000_000);
    }
    assertThat(selector.current().codec()).isEqualTo(Codec.ZSTD);
    assertThat(selector.current().level()).isGreaterThanOrEqualTo(6);
    // Now they spend 90% of it compressing and none blocked: back down the ladder.
    for (int i = 0; i < 400; i++) {
      CodecChoice c = selector.next(0);
      selector.compressed(c, 65536, 20000, 9_000_000);
      now[0] += 5_000_000;
      selector.wrote(20000, 10_000);
    }
    assertThat(selector.current()).isEqualTo(CodecChoice.NONE);
  }

  @Test
  void incompressible_chunks_make_a_stream_skip_compression_for_a_while() {
    AutoCodecSelector selector = new AutoCodecSelector(1, 10_000_000);
    CodecChoice first = selector.next(3);
    assertThat(first.codec()).isNotEqualTo(Codec.NONE);
    selector.outcome(3, false);
    assertThat(selector.next(3)).isEqualTo(CodecChoice.NONE);
    assertThat(selector.next(3)).isEqualTo(first);
    // Other streams are not affected.
    assertThat(selector.next(4)).isEqualTo(first);
  }

  @Test
  void policies_parse() {
    assertThat(CodecPolicy.parse("auto").isAuto()).isTrue();
    assertThat(CodecPolicy.parse("zstd:7").fixed()).isEqualTo(CodecChoice.zstd(7));
    assertThat(CodecPolicy.parse("lz4").fixed()).isEqualTo(CodecChoice.LZ4);
    assertThat(CodecPolicy.parse("none").fixed()).isEqualTo(CodecChoice.NONE);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CodecPolicy.parse("zstd:99"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
