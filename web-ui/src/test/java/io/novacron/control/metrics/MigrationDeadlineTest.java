package io.novacron.control.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MigrationDeadlineTest {
  @Test
  void defaultPolicyGivesTwiceTheCompletionTimeoutPlusSlack() {
    // 1 GiB memory + 1 GiB disk at the default 800 s/GiB: 1600 s, twice, plus 5 min.
    assertThat(MigrationDeadline.of("{\"vmName\":\"web1\",\"mode\":\"live\"}", 1024, 1))
        .isEqualTo(Duration.ofSeconds(3200 + 300));
  }

  @Test
  void theRunsOwnSecondsPerGiBCount() {
    assertThat(MigrationDeadline.of("{\"options\":{\"completionTimeoutSecondsPerGiB\":100}}", 2048, 0))
        .isEqualTo(Duration.ofSeconds(400 + 300));
  }

  @Test
  void tinyOrUnknownVmsGetTheMinimumCompletionTimeout() {
    // A VM the inventory no longer has (sizes 0): 30 s minimum, twice, plus 5 min.
    assertThat(MigrationDeadline.of(null, 0, 0)).isEqualTo(Duration.ofSeconds(60 + 300));
  }

  @Test
  void aBadOptionFallsBackToTheDefault() {
    assertThat(MigrationDeadline.secondsPerGiB("{\"options\":{\"completionTimeoutSecondsPerGiB\":\"soon\"}}"))
        .isEqualTo(800);
    assertThat(MigrationDeadline.secondsPerGiB("{\"options\":{\"completionTimeoutSecondsPerGiB\":-5}}"))
        .isEqualTo(800);
    assertThat(MigrationDeadline.secondsPerGiB("not json")).isEqualTo(800);
  }
}
