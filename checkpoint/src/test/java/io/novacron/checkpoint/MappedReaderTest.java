package io.novacron.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedReaderTest {
  private static final int WINDOW = 4096;

  @TempDir Path tmp;

  private byte[] content(int size) {
    byte[] bytes = new byte[size];
    new Random(17).nextBytes(bytes);
    return bytes;
  }

  private static byte[] read(MappedReader reader, long count, long step) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long left = count; left > 0; ) {
      ByteBuffer view = reader.next(Math.min(step, left));
      assertThat(view.remaining()).isPositive().isLessThanOrEqualTo((int) Math.min(step, left));
      left -= view.remaining();
      byte[] chunk = new byte[view.remaining()];
      view.get(chunk);
      out.write(chunk, 0, chunk.length);
    }
    return out.toByteArray();
  }

  @Test
  void reads_across_window_boundaries_from_an_unaligned_start() throws IOException {
    byte[] bytes = content(3 * WINDOW + 123);
    Path file = Files.write(tmp.resolve("f"), bytes);
    try (MappedReader reader = new MappedReader(file, WINDOW)) {
      reader.seek(77);

      byte[] got = read(reader, bytes.length - 77, 1000);

      assertThat(got).isEqualTo(java.util.Arrays.copyOfRange(bytes, 77, bytes.length));
    }
  }

  @Test
  void a_backward_seek_remaps_and_reads_the_same_bytes_again() throws IOException {
    byte[] bytes = content(2 * WINDOW);
    Path file = Files.write(tmp.resolve("f"), bytes);
    try (MappedReader reader = new MappedReader(file, WINDOW)) {
      reader.seek(WINDOW + 10);
      byte[] first = read(reader, 100, 100);
      reader.seek(10);
      read(reader, 50, 50);
      reader.seek(WINDOW + 10);

      assertThat(read(reader, 100, 100)).isEqualTo(first)
          .isEqualTo(java.util.Arrays.copyOfRange(bytes, WINDOW + 10, WINDOW + 110));
    }
  }

  @Test
  void reading_past_the_end_names_the_file_and_offset() throws IOException {
    Path file = Files.write(tmp.resolve("short.safetensors"), content(100));
    try (MappedReader reader = new MappedReader(file, WINDOW)) {
      reader.seek(60);
      assertThat(reader.next(1000).remaining()).isEqualTo(40);

      assertThatThrownBy(() -> reader.next(1)).isInstanceOf(EOFException.class)
          .hasMessageContaining("short.safetensors").hasMessageContaining("offset 100");
    }
  }

  @Test
  void a_file_cut_while_open_is_reported_changed_and_later_windows_stop_at_its_new_end() throws IOException {
    Path file = Files.write(tmp.resolve("cut.safetensors"), content(3 * WINDOW));
    try (MappedReader reader = new MappedReader(file, WINDOW)) {
      read(reader, WINDOW, WINDOW);
      assertThat(reader.changedSinceOpen()).isFalse();

      try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
        raf.setLength(WINDOW + 10);
      }

      assertThat(reader.changedSinceOpen()).isTrue();
      // The next window is mapped to the file's size now, not at open, so no page past the end.
      assertThat(reader.next(WINDOW).remaining()).isEqualTo(10);
      assertThatThrownBy(() -> reader.next(1)).isInstanceOf(EOFException.class)
          .hasMessageContaining("cut.safetensors");
    }
  }
}
