package io.novacron.control.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private Instant now = Instant.parse("2026-11-23T12:00:00Z");
  private final Clock clock = new Clock() {
    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  };
  private final LoginThrottle throttle = new LoginThrottle(
      new SecuritySettings.Login(3, Duration.ofMinutes(10), Duration.ofMinutes(15)), clock, new InMemoryLoginFailures());

  @Test
  void theNthFailureWithinTheWindowLocksTheUsernameForTheLockout() {
    throttle.failed("alice", "10.0.0.1");
    throttle.failed("Alice", "10.0.0.2");
    assertThat(throttle.lockedFor("alice", "10.0.0.9")).isEmpty();
    throttle.failed("alice ", "10.0.0.3");
    assertThat(throttle.lockedFor("alice", "10.0.0.9")).contains(Duration.ofMinutes(15));
    now = now.plus(Duration.ofMinutes(14));
    assertThat(throttle.lockedFor("alice", null)).contains(Duration.ofMinutes(1));
    now = now.plus(Duration.ofMinutes(1));
    assertThat(throttle.lockedFor("alice", null)).isEmpty();
  }

  @Test
  void oneAddressTryingManyNamesIsLockedToo() {
    throttle.failed("a", "10.0.0.1");
    throttle.failed("b", "10.0.0.1");
    throttle.failed("c", "10.0.0.1");
    assertThat(throttle.lockedFor("dave", "10.0.0.1")).isPresent();
    assertThat(throttle.lockedFor("dave", "10.0.0.2")).isEmpty();
  }

  @Test
  void failuresOutsideTheWindowAndASuccessStartTheCountAgain() {
    throttle.failed("bob", "10.0.0.1");
    throttle.failed("bob", "10.0.0.2");
    now = now.plus(Duration.ofMinutes(11));
    throttle.failed("bob", "10.0.0.3");
    assertThat(throttle.lockedFor("bob", "10.0.0.4")).isEmpty();
    throttle.failed("bob", "10.0.0.4");
    throttle.succeeded("bob");
    throttle.failed("bob", "10.0.0.5");
    assertThat(throttle.lockedFor("bob", "10.0.0.6")).isEmpty();
  }
}
