package io.novacron.control.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.control.ControlPlaneTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The sign-in rate limit on the control plane's PostgreSQL: a throttle built afresh over the same
 * database, as a restarted control plane is, still refuses a locked-out name and address, and
 * concurrent failures of one name are all counted.
 */
class LoginThrottlePersistenceTest extends ControlPlaneTest {
  private static final SecuritySettings.Login SETTINGS =
      new SecuritySettings.Login(3, Duration.ofMinutes(10), Duration.ofMinutes(15));

  @Autowired JdbcLoginFailures store;
  @Autowired JdbcClient jdbc;
  // Whole milliseconds: PostgreSQL keeps microseconds, the JVM clock may have nanoseconds.
  private final Clock clock = Clock.fixed(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), ZoneOffset.UTC);

  @Test
  void aLockoutSurvivesARestart() {
    String name = "carol-" + UUID.randomUUID().toString().substring(0, 8);
    LoginThrottle before = new LoginThrottle(SETTINGS, clock, store);
    before.failed(name, "10.9.0.1");
    before.failed(name, "10.9.0.2");
    before.failed(name, "10.9.0.3");
    assertThat(before.lockedFor(name, null)).contains(Duration.ofMinutes(15));

    LoginThrottle restarted = new LoginThrottle(SETTINGS, clock, store);

    assertThat(restarted.lockedFor(name, "10.9.0.9")).as("the username is still locked").contains(Duration.ofMinutes(15));
    assertThat(jdbc.sql("select locked_until from login_failures where key = :key").param("key", "user:" + name)
        .query(java.sql.Timestamp.class).single().toInstant()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
  }

  @Test
  void countsBelowTheLimitSurviveARestartAndASuccessClearsThem() {
    String name = "dan-" + UUID.randomUUID().toString().substring(0, 8);
    new LoginThrottle(SETTINGS, clock, store).failed(name, "10.9.1.1");
    new LoginThrottle(SETTINGS, clock, store).failed(name, "10.9.1.2");
    LoginThrottle third = new LoginThrottle(SETTINGS, clock, store);
    assertThat(third.lockedFor(name, null)).isEmpty();
    third.failed(name, "10.9.1.3");
    assertThat(third.lockedFor(name, null)).as("two before the restart, one after").isPresent();

    String other = "erin-" + UUID.randomUUID().toString().substring(0, 8);
    third.failed(other, "10.9.2.1");
    third.failed(other, "10.9.2.2");
    third.succeeded(other);
    third.failed(other, "10.9.2.3");
    assertThat(new LoginThrottle(SETTINGS, clock, store).lockedFor(other, null)).isEmpty();
  }

  @Test
  void concurrentFailuresOfOneNameAreEachCounted() throws Exception {
    String name = "frank-" + UUID.randomUUID().toString().substring(0, 8);
    LoginThrottle throttle = new LoginThrottle(new SecuritySettings.Login(1000, Duration.ofMinutes(10),
        Duration.ofMinutes(15)), clock, store);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String address = "10.9.3." + i;
        done.add(pool.submit(() -> throttle.failed(name, address)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(store.find("user:" + name)).get().extracting(LoginFailures::count).isEqualTo(40);
  }

  @Test
  void recordsPastTheWindowAndTheLockoutAreDropped() {
    String name = "gina-" + UUID.randomUUID().toString().substring(0, 8);
    new LoginThrottle(SETTINGS, clock, store).failed(name, "10.9.4.1");
    Clock later = Clock.offset(clock, Duration.ofMinutes(26));
    new LoginThrottle(SETTINGS, later, store).failed("someone-else", "10.9.4.2");
    assertThat(store.find("user:" + name)).isEmpty();
  }
}
