package io.novacron.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ParallelCallsTest {
  @Test
  void results_come_back_in_the_order_of_the_calls_from_several_threads() throws IOException {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<Callable<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      calls.add(() -> {
        threads.add(Thread.currentThread().getName());
        Thread.sleep(20 - n);
        return n * n;
      });
    }

    List<Integer> results = ParallelCalls.run(calls, 4, "test-pool");

    assertThat(results).hasSize(20);
    for (int i = 0; i < 20; i++) {
      assertThat(results.get(i)).isEqualTo(i * i);
    }
    assertThat(threads).allMatch(name -> name.equals("test-pool"));
  }

  @Test
  void an_io_failure_comes_back_as_itself_not_wrapped() {
    List<Callable<String>> calls = List.of(() -> "fine", () -> {
      throw new IOException("disk gone");
    });
    assertThatThrownBy(() -> ParallelCalls.run(calls, 2, "test-pool"))
        .isExactlyInstanceOf(IOException.class).hasMessage("disk gone");
    assertThatThrownBy(() -> ParallelCalls.run(calls, 1, "test-pool"))
        .isExactlyInstanceOf(IOException.class).hasMessage("disk gone");
  }

  @Test
  void a_runtime_failure_comes_back_as_itself() {
    List<Callable<String>> calls = List.of(() -> {
      throw new IllegalArgumentException("TP 3 does not divide 8 heads");
    }, () -> "fine");
    assertThatThrownBy(() -> ParallelCalls.run(calls, 2, "test-pool"))
        .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("TP 3");
  }
}
