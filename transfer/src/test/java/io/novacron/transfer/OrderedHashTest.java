package io.novacron.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OrderedHashTest {
  @Test
  void the_digest_is_that_of_the_chunks_in_the_order_handed_over() throws Exception {
    byte[] data = new byte[10 * 1000 + 17];
    new Random(7).nextBytes(data);
    try (OrderedHash h = new OrderedHash(1000, "test-sha")) {
      // More chunks than circulate: each take waits for the hasher to free one, and every chunk is
      // overwritten only after it was hashed.
      for (int off = 0; off < data.length; off += 1000) {
        byte[] chunk = h.take();
        int n = Math.min(1000, data.length - off);
        System.arraycopy(data, off, chunk, 0, n);
        h.hash(chunk, n);
      }
      byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);
      assertThat(h.digest()).isEqualTo(expected);
      assertThat(h.digest()).as("repeated").isEqualTo(expected);
    }
  }

  @Test
  void nothing_handed_over_is_the_digest_of_nothing() throws Exception {
    try (OrderedHash h = new OrderedHash(64, "test-sha")) {
      assertThat(h.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest());
    }
  }

  @Test
  void a_failed_hashing_thread_fails_the_reader_instead_of_leaving_it_waiting() throws Exception {
    try (OrderedHash h = new OrderedHash(64, "test-sha")) {
      byte[] chunk = h.take();
      h.hash(chunk, chunk.length + 1); // past the chunk's end: the hashing thread's update throws

      // That chunk never comes back; once the other free ones are taken, a reader waiting for one
      // must learn why rather than wait for ever.
      assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(() -> {
        for (int i = 0; i <= OrderedHash.CHUNKS; i++) {
          h.take();
        }
      }).isInstanceOf(IllegalStateException.class).hasMessageContaining("hashing the source stopped")
          .hasCauseInstanceOf(IllegalArgumentException.class));
      assertThatThrownBy(h::digest).isInstanceOf(IllegalStateException.class);
    }
  }
}
