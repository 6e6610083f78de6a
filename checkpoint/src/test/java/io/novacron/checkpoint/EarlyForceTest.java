package io.novacron.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EarlyForceTest {
  @TempDir Path tmp;

  private FileChannel open(String name) throws IOException {
    return FileChannel.open(tmp.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }

  @Test
  void a_failed_force_comes_back_from_await_all() throws IOException {
    FileChannel good = open("a");
    FileChannel closed = open("b");
    closed.close();
    try (EarlyForce force = new EarlyForce(List.of(good, closed), new int[] {1, 1}, 1 << 20)) {
      force.pieceWritten(0, 1);
      force.pieceWritten(1, 1);

      assertThatThrownBy(force::awaitAll).isInstanceOf(ClosedChannelException.class);
    } finally {
      good.close();
    }
  }

  @Test
  void files_whose_pieces_never_all_arrive_are_still_forced_at_the_end() throws IOException {
    FileChannel empty = open("empty");
    FileChannel unfinished = open("unfinished");
    unfinished.close();
    try (EarlyForce force = new EarlyForce(List.of(empty, unfinished), new int[] {0, 3}, 1 << 20)) {
      force.pieceWritten(1, 1);

      // The unfinished file's force is attempted at the barrier: its closed channel shows it.
      assertThatThrownBy(force::awaitAll).isInstanceOf(ClosedChannelException.class);
    } finally {
      empty.close();
    }
  }

  @Test
  void written_files_are_complete_after_await_all() throws IOException {
    try (FileChannel a = open("a"); EarlyForce force = new EarlyForce(List.of(a), new int[] {2}, 1)) {
      a.write(ByteBuffer.wrap(new byte[] {1, 2}), 0);
      force.pieceWritten(0, 1);
      a.write(ByteBuffer.wrap(new byte[] {3}), 2);
      force.pieceWritten(0, 1);

      force.awaitAll();

      assertThat(Files.readAllBytes(tmp.resolve("a"))).containsExactly(1, 2, 3);
    }
  }

  @Test
  void a_failed_intermediate_force_is_not_lost() throws IOException {
    FileChannel closed = open("a");
    closed.close();
    try (EarlyForce force = new EarlyForce(List.of(closed), new int[] {3}, 10)) {
      force.pieceWritten(0, 10); // starts an intermediate force, which fails

      assertThatThrownBy(force::awaitAll).isInstanceOf(ClosedChannelException.class);
    }
  }

  @Test
  void the_force_interval_must_be_positive() throws IOException {
    try (FileChannel a = open("a")) {
      assertThatThrownBy(() -> new EarlyForce(List.of(a), new int[] {1}, 0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("forceEveryBytes");
    }
  }

  @Test
  void more_pieces_than_planned_is_a_bug_reported_as_such() throws IOException {
    try (FileChannel a = open("a"); EarlyForce force = new EarlyForce(List.of(a), new int[] {1}, 1 << 20)) {
      force.pieceWritten(0, 1);

      assertThatThrownBy(() -> force.pieceWritten(0, 1)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("rank 0");
    }
  }

  @Test
  void piece_counts_must_match_the_files() throws IOException {
    try (FileChannel a = open("a")) {
      assertThatThrownBy(() -> new EarlyForce(List.of(a), new int[] {1, 1}, 1 << 20))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 rank files but 2");
    }
  }
}
