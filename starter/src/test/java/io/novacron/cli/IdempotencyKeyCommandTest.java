package io.novacron.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every run-starting request carries an {@code Idempotency-Key}: a fresh UUID per invocation, or
 * the one given, so that a command retried after a network error gets the first run back.
 */
class IdempotencyKeyCommandTest {
  private static final String RUN = "{\"runId\":\"run-0a1b2c3d\"}";
  private final AtomicInteger dropsLeft = new AtomicInteger();
  private LoopbackControlPlane api;

  @BeforeEach
  void start() throws Exception {
    api = new LoopbackControlPlane((method, path, body) -> {
      if (dropsLeft.getAndDecrement() > 0) {
        return LoopbackControlPlane.Answer.DROPPED;
      }
      return method.equals("GET")
          ? new LoopbackControlPlane.Answer(200, "[]", 0L)
          : new LoopbackControlPlane.Answer(202, RUN);
    });
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void everyRunStartingCommandSendsARandomUuid() {
    String[][] launches = {
        {"vm", "create", "--name=web1", "--vcpus=1", "--memory-mib=512", "--disk-gib=4", "--image=ubuntu"},
        {"vm", "start", "web1"}, {"vm", "stop", "web1"}, {"vm", "reboot", "web1"}, {"vm", "delete", "web1"},
        {"vm", "resize", "web1", "--vcpus=2"}, {"vm", "migrate", "web1"},
        {"node", "drain", "n1"}, {"node", "rebalance"}};
    for (String[] launch : launches) {
      api.cli(launch);
    }
    assertThat(api.requests()).as(api.err()).hasSize(launches.length);
    assertThat(api.idempotencyKeys()).allSatisfy(key -> assertThat(UUID.fromString(key).toString()).isEqualTo(key));
    assertThat(api.idempotencyKeys()).doesNotHaveDuplicates();
  }

  @Test
  void listsAndOtherCommandsSendNoKey() {
    assertThat(api.cli("vm", "list")).isZero();
    assertThat(api.cli("node", "cordon", "n1")).isZero();
    assertThat(api.idempotencyKeys()).containsExactly("null", "null");
  }

  @Test
  void aGivenKeyIsSentAsIs() {
    assertThat(api.cli("vm", "migrate", "web1", "--idempotency-key=retry-7")).isZero();
    assertThat(api.idempotencyKeys()).containsExactly("retry-7");
  }

  @Test
  void aMalformedKeyIsAUsageErrorAndSendsNothing() {
    assertThat(api.cli("vm", "start", "web1", "--idempotency-key=has space")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.requests()).isEmpty();
    assertThat(api.err()).contains("--idempotency-key", "printable ASCII characters without spaces");
  }

  @Test
  void aNetworkErrorNamesTheKeyAndARetryWithItSendsTheSameKey() {
    dropsLeft.set(1);
    assertThat(api.cli("vm", "start", "web1")).isEqualTo(NovacronCli.EXIT_UNAVAILABLE);
    String key = api.idempotencyKeys().get(0);
    assertThat(api.err()).contains("the run may have started: retry with --idempotency-key=" + key);

    assertThat(api.cli("vm", "start", "web1", "--idempotency-key=" + key)).isZero();
    assertThat(api.idempotencyKeys()).containsExactly(key, key);
    assertThat(api.out()).contains("run-0a1b2c3d");
  }
}
