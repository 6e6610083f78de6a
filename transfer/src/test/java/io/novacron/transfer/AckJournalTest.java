package io.novacron.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.transfer.wire.BlockRange;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AckJournalTest {
  static final AckJournal.Header HEADER = new AckJournal.Header(4096, 100 * 4096L - 10, 1234);

  @TempDir
  Path tmp;

  @Test
  void acknowledged_ranges_survive_a_reopen() throws Exception {
    Path file = tmp.resolve("j");
    try (AckJournal j = AckJournal.open(file, HEADER)) {
      assertThat(j.resumed()).isFalse();
      j.append(List.of(new BlockRange(0, 10), new BlockRange(50, 5)));
      j.append(List.of(new BlockRange(10, 2)));
    }
    try (AckJournal j = AckJournal.open(file, HEADER)) {
      assertThat(j.resumed()).isTrue();
      assertThat(j.count()).isEqualTo(17);
      assertThat(j.ranges()).containsExactly(new BlockRange(0, 12), new BlockRange(50, 5));
      assertThat(j.isAcknowledged(99)).isFalse();
    }
    assertThat(AckJournal.countAcknowledged(file)).isEqualTo(17);
  }

  @Test
  void a_torn_last_record_is_dropped() throws Exception {
    Path file = tmp.resolve("j");
    try (AckJournal j = AckJournal.open(file, HEADER)) {
      j.append(List.of(new BlockRange(0, 10)));
      j.append(List.of(new BlockRange(20, 10)));
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(f.length() - 3);
    }
    try (AckJournal j = AckJournal.open(file, HEADER)) {
      assertThat(j.ranges()).containsExactly(new BlockRange(0, 10));
    }
    assertThat(Files.size(file)).isEqualTo(AckJournal.HEADER + AckJournal.RECORD);
  }

  @Test
  void a_corrupted_record_ends_the_journal_there() throws Exception {
    Path file = tmp.resolve("j");
    try (AckJournal j = AckJournal.open(file, HEADER)) {
      j.append(List.of(new BlockRange(0, 10), new BlockRange(20, 10), new BlockRange(40, 10)));
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(AckJournal.HEADER + AckJournal.RECORD + 2);
      f.write(0x55);
    }
    try (AckJournal j = AckJournal.open(file, HEADER)) {
      assertThat(j.ranges()).containsExactly(new BlockRange(0, 10));
    }
  }

  @Test
  void another_source_version_starts_afresh() throws Exception {
    Path file = tmp.resolve("j");
    try (AckJournal j = AckJournal.open(file, HEADER)) {
      j.append(List.of(new BlockRange(0, 10)));
    }
    AckJournal.Header changed = new AckJournal.Header(4096, HEADER.sourceSize(), 999);
    try (AckJournal j = AckJournal.open(file, changed)) {
      assertThat(j.resumed()).isFalse();
      assertThat(j.count()).isZero();
    }
  }
}
