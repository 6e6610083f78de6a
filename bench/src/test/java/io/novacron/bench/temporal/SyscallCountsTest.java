package io.novacron.bench.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SyscallCountsTest {
  /** As strace 6.1 writes it with {@code -c -e trace=fsync,fdatasync}. */
  private static final String SUMMARY = """
      % time     seconds  usecs/call     calls    errors syscall
      ------ ----------- ----------- --------- --------- ----------------
       81.20    0.296356          97      3040           fsync
       18.80    0.068622          45      1512         2 fdatasync
      ------ ----------- ----------- --------- --------- ----------------
      100.00    0.364978          80      4552         2 total
      """;

  @Test
  void addsTheCallsOfTheNamedSyscallsAndNotTheTotalRow() {
    assertThat(SyscallCounts.parse(SUMMARY, List.of("fsync", "fdatasync"))).isEqualTo(4552);
    assertThat(SyscallCounts.parse(SUMMARY, List.of("fsync"))).isEqualTo(3040);
  }

  @Test
  void aSyscallThatWasNeverCalledCountsZero() {
    String none = """
        % time     seconds  usecs/call     calls    errors syscall
        ------ ----------- ----------- --------- --------- ----------------
        ------ ----------- ----------- --------- --------- ----------------
        100.00    0.000000           0         0           total
        """;
    assertThat(SyscallCounts.parse(none, List.of("fsync", "fdatasync"))).isZero();
  }

  @Test
  void anEmptySummaryCountsZero() {
    // strace -c writes nothing when none of the traced calls was made (seen with strace 6.1).
    assertThat(SyscallCounts.parse("", List.of("fsync"))).isZero();
  }

  @Test
  void refusesTextThatIsNoSummary() {
    assertThatThrownBy(() -> SyscallCounts.parse("strace: attach: ptrace(PTRACE_SEIZE, 1): Operation not permitted",
        List.of("fsync"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an strace -c summary");
  }
}
