package io.novacron.gpu.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelDigestsTest {
  @TempDir
  Path tmp;

  @Test
  void digests_come_back_in_the_order_of_the_files_and_match_one_by_one_hashing() throws IOException {
    List<Path> files = new ArrayList<>();
    long total = 0;
    Random random = new Random(3);
    for (int i = 0; i < 6; i++) {
      byte[] data = new byte[(i + 1) * 700_000];
      random.nextBytes(data);
      files.add(Files.write(tmp.resolve("f" + i), data));
      total += data.length;
    }
    AtomicLong last = new AtomicLong();

    List<String> digests = ParallelDigests.sha256(files, last::set);

    assertThat(digests).hasSize(files.size());
    for (int i = 0; i < files.size(); i++) {
      assertThat(digests.get(i)).isEqualTo(FileDigests.sha256(files.get(i), done -> { }));
    }
    assertThat(digests).doesNotHaveDuplicates();
    assertThat(last.get()).isEqualTo(total);
  }

  @Test
  void a_missing_file_fails_the_whole_call_with_its_io_error() throws IOException {
    Path present = Files.write(tmp.resolve("present"), new byte[10]);
    assertThatThrownBy(() -> ParallelDigests.sha256(List.of(present, tmp.resolve("absent")), done -> { }))
        .isInstanceOf(NoSuchFileException.class).hasMessageContaining("absent");
  }

  @Test
  void no_files_no_digests() throws IOException {
    assertThat(ParallelDigests.sha256(List.of(), done -> { })).isEmpty();
  }
}
