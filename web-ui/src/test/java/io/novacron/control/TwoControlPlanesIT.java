package io.novacron.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.novacron.control.inventory.InventoryActivitiesImpl;
import io.novacron.control.security.ApiTokens;
import io.novacron.control.security.IssuedToken;
import io.novacron.control.security.Role;
import io.novacron.control.security.UserAccounts;
import io.novacron.workflows.node.DomainFact;
import io.novacron.workflows.node.NodeFacts;
import io.novacron.workflows.power.VmPowerWorkflow;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two control-plane replicas for real (issue 19): two application contexts of the product, each
 * with its own web server, worker and schedulers, sharing one PostgreSQL (replica A's embedded one;
 * B connects to it as to an external database) and one Temporal test server. What one replica
 * writes, the other must honour, and what both receive at once must happen once.
 */
class TwoControlPlanesIT {
  private static final Pattern CSRF = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");
  private static final Pattern RUN_ID = Pattern.compile("\"runId\"\\s*:\\s*\"([^\"]+)\"");
  private static final long SAMPLE_INTERVAL_MS = 500;

  private static TestServer.PortBoundTestServer temporal;
  private static ConfigurableApplicationContext a;
  private static ConfigurableApplicationContext b;
  private static JdbcClient jdbc;
  private static final HttpClient HTTP = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();

  @BeforeAll
  static void startTwoReplicas() throws IOException {
    int temporalPort = freePort();
    int postgresPort = freePort();
    temporal = TestServer.createPortBoundServer(temporalPort);
    Map<String, Object> common = new LinkedHashMap<>();
    common.put("server.port", "0");
    common.put("novacron.temporal.target", "127.0.0.1:" + temporalPort);
    common.put("novacron.samples.node-interval-millis", String.valueOf(SAMPLE_INTERVAL_MS));
    common.put("novacron.security.login.max-failures", "5");
    common.put("spring.main.banner-mode", "off");

    Map<String, Object> first = new LinkedHashMap<>(common);
    java.nio.file.Path dataA = Files.createTempDirectory("novacron-replica-a");
    first.put("novacron.data-dir", dataA.toString());
    first.put("novacron.embedded-postgres.port", String.valueOf(postgresPort));
    a = start(first);

    Map<String, Object> second = new LinkedHashMap<>(common);
    second.put("novacron.data-dir", Files.createTempDirectory("novacron-replica-b").toString());
    second.put("spring.datasource.url", "jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres");
    // As A itself connects: the role novacron, password A generated into its data directory (scram).
    second.put("spring.datasource.username", "novacron");
    second.put("spring.datasource.password", Files.readString(dataA.resolve("novacron-password")).strip());
    b = start(second);
    jdbc = a.getBean(JdbcClient.class);
  }

  /** A replica with {@code properties} as command-line arguments, above application.properties. */
  private static ConfigurableApplicationContext start(Map<String, Object> properties) {
    return new SpringApplicationBuilder(ControlPlaneApplication.class)
        .run(properties.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue()).toArray(String[]::new));
  }

  @AfterAll
  static void stop() {
    // B first: A owns the database B talks to.
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
    if (temporal != null) {
      temporal.close();
    }
  }

  @Test
  void aTokenMadeOnOneReplicaWorksOnTheOtherUntilRevokedThere() throws Exception {
    IssuedToken token = a.getBean(ApiTokens.class).create("two-replicas-" + suffix(), Role.VIEWER, "test");
    assertThat(get(b, "/api/v1/vms", token.secret()).statusCode()).as("A's token on B").isEqualTo(200);
    assertThat(get(a, "/api/v1/vms", token.secret()).statusCode()).as("and on A").isEqualTo(200);

    assertThat(b.getBean(ApiTokens.class).revoke(token.token().id())).isPresent();
    assertThat(get(a, "/api/v1/vms", token.secret()).statusCode()).as("revoked on B, refused on A").isEqualTo(401);
  }

  @Test
  void oneIdempotencyKeySentToBothAtOnceStartsOneRunNamedInEveryAnswer() throws Exception {
    String token = a.getBean(ApiTokens.class).create("two-replicas-" + suffix(), Role.OPERATOR, "test").secret();
    String node = "ha-node-" + suffix();
    // A node that announced a minute ago and nobody polls: each VmPower run waits on it, so the VM
    // stays busy with the first run, and a second launch of the same key would be refused as busy.
    jdbc.sql("insert into nodes (name, cpus, memory_mib, storage_free_gib, storage_total_gib, host_seen_at,"
        + " host_announce_interval_s) values (:name, 64, 65536, 100, 100, now(), 3600)").param("name", node).update();
    double startedBefore = started(a) + started(b);
    int rounds = 15;
    int perReplica = 3;
    ExecutorService senders = Executors.newFixedThreadPool(2 * perReplica);
    try {
      for (int round = 0; round < rounds; round++) {
        String vm = "ha-vm-" + suffix();
        jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib)"
            + " values (:name, :uuid, :node, 'shutoff', 1, 256, 1)")
            .param("name", vm).param("uuid", UUID.randomUUID().toString()).param("node", node).update();
        String key = "key-" + UUID.randomUUID();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 2 * perReplica; i++) {
          ConfigurableApplicationContext replica = i % 2 == 0 ? a : b;
          answers.add(senders.submit(() -> {
            go.await();
            return post(replica, "/api/v1/vms/" + vm + "/start", token, key);
          }));
        }
        go.countDown();
        Set<String> runIds = new java.util.HashSet<>();
        for (Future<HttpResponse<String>> answer : answers) {
          HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
          assertThat(response.statusCode()).as("round %d: %s", round, response.body()).isEqualTo(202);
          Matcher runId = RUN_ID.matcher(response.body());
          assertThat(runId.find()).as(response.body()).isTrue();
          runIds.add(runId.group(1));
        }
        assertThat(runIds).as("round %d: every answer names the one run", round).hasSize(1);
        assertThat(jdbc.sql("select count(*) from launch_keys where run_id = :id").param("id", runIds.iterator().next())
            .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from audit_events where target = :target and action like 'POST %'")
            .param("target", "/api/v1/vms/" + vm + "/start").query(Long.class).single())
            .as("round %d: one audit row per request, written by the replica that served it", round)
            .isEqualTo(2L * perReplica);
      }
    } finally {
      senders.shutdownNow();
    }
    assertThat(started(a) + started(b) - startedBefore).as("VmPower runs started by A and B together")
        .isEqualTo(rounds);
  }

  @Test
  void oneAnnouncementRecordedByBothAtOnceIsReconciledOnce() throws Exception {
    String node = "ha-ann-" + suffix();
    String stranger = "stranger-" + suffix();
    long collectedAt = System.currentTimeMillis();
    NodeFacts facts = new NodeFacts(node, node, "test-cpu", 8, 16384, "test:///default", "Test", "test", 100, 100,
        List.of(), "test", 15, List.of(new DomainFact(stranger, UUID.randomUUID().toString(), "running", 1, 512)),
        collectedAt);
    // The same activity retried: once on each replica's worker, at the same moment.
    List<InventoryActivitiesImpl> both = List.of(a.getBean(InventoryActivitiesImpl.class),
        b.getBean(InventoryActivitiesImpl.class));
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        InventoryActivitiesImpl inventory = both.get(i % 2);
        done.add(pool.submit(() -> {
          go.await();
          inventory.recordNode(facts);
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(jdbc.sql("select count(*) from vms where name = :name").param("name", stranger)
        .query(Long.class).single()).as("the stranger domain discovered once").isEqualTo(1);
    assertThat(jdbc.sql("select count(*) from audit_events where action = 'vm.drift' and target = :name")
        .param("name", stranger).query(Long.class).single()).as("and its drift audited once").isEqualTo(1);
    assertThat(jdbc.sql("select count(*) from reservations where vm_name = :name").param("name", stranger)
        .query(Long.class).single()).as("its capacity held once").isEqualTo(1);
  }

  @Test
  void loginFailuresSpreadOverBothReplicasTripOneThrottle() throws Exception {
    String username = "ha-user-" + suffix();
    String password = "pw-" + UUID.randomUUID();
    a.getBean(UserAccounts.class).create(username, password, Role.VIEWER, "test").orElseThrow();
    Map<ConfigurableApplicationContext, HttpClient> browsers = Map.of(
        a, HttpClient.newBuilder().cookieHandler(new CookieManager()).build(),
        b, HttpClient.newBuilder().cookieHandler(new CookieManager()).build());
    for (int i = 0; i < 4; i++) {
      ConfigurableApplicationContext replica = i % 2 == 0 ? a : b;
      assertThat(signIn(browsers.get(replica), replica, username, "wrong-" + i)).endsWith("/login?error");
    }
    assertThat(jdbc.sql("select failures from login_failures where key = :key and locked_until is null")
        .param("key", "user:" + username).query(Integer.class).optional())
        .as("two failures on A and two on B, one count").contains(4);
    // The fifth, on B, trips the throttle (the count restarts under the lockout).
    assertThat(signIn(browsers.get(b), b, username, "wrong-4")).endsWith("/login?error");
    assertThat(jdbc.sql("select locked_until is not null from login_failures where key = :key")
        .param("key", "user:" + username).query(Boolean.class).single()).as("locked").isTrue();
    assertThat(signIn(browsers.get(a), a, username, password)).as("the right password on A, locked out on B")
        .endsWith("/login?error");
    assertThat(jdbc.sql("select count(*) from audit_events where action = 'login' and actor = :user")
        .param("user", username).query(Long.class).single()).as("one audit row per attempt").isEqualTo(6);
  }

  @Test
  void bothSamplersWriteOneCapacityRowPerNodeAndTick() throws Exception {
    String node = "ha-sample-" + suffix();
    jdbc.sql("insert into nodes (name, cpus, memory_mib, storage_free_gib, storage_total_gib, host_seen_at,"
        + " host_announce_interval_s) values (:name, 4, 4096, 100, 100, now(), 3600)").param("name", node).update();
    long from = System.currentTimeMillis();
    long rows = 0;
    // Both replicas sample every 500 ms; wait (bounded) until ten ticks are in.
    for (int i = 0; i < 600 && rows < 10; i++) {
      Thread.sleep(100);
      rows = jdbc.sql("select count(*) from node_capacity_samples where node = :node").param("node", node)
          .query(Long.class).single();
    }
    long elapsedTicks = (System.currentTimeMillis() - from) / SAMPLE_INTERVAL_MS + 2;
    assertThat(rows).as("samples written").isGreaterThanOrEqualTo(10);
    assertThat(rows).as("two samplers, but at most one row per %d ms tick", SAMPLE_INTERVAL_MS)
        .isLessThanOrEqualTo(elapsedTicks);
  }

  /** The VmPower runs this replica started (not the ones Temporal refused as already started). */
  private static double started(ConfigurableApplicationContext replica) {
    Counter counter = replica.getBean(MeterRegistry.class).find("novacron.runs.started")
        .tag("type", VmPowerWorkflow.TYPE).counter();
    return counter == null ? 0 : counter.count();
  }

  /** Posts the login form as the browser does; returns where the replica sends it. */
  private static String signIn(HttpClient browser, ConfigurableApplicationContext replica, String username,
      String password) throws Exception {
    HttpResponse<String> page = browser.send(HttpRequest.newBuilder(uri(replica, "/login")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher csrf = CSRF.matcher(page.body());
    assertThat(csrf.find()).as("the login page carries a CSRF token").isTrue();
    String form = "username=" + encode(username) + "&password=" + encode(password) + "&_csrf=" + encode(csrf.group(1));
    HttpResponse<String> response = browser.send(HttpRequest.newBuilder(uri(replica, "/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(302);
    return response.headers().firstValue("Location").orElseThrow();
  }

  private static HttpResponse<String> post(ConfigurableApplicationContext replica, String path, String token,
      String key) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri(replica, path))
        .header("Authorization", "Bearer " + token).header("Idempotency-Key", key)
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(ConfigurableApplicationContext replica, String path, String token)
      throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri(replica, path)).header("Authorization", "Bearer " + token).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(ConfigurableApplicationContext replica, String path) {
    int port = ((WebServerApplicationContext) replica).getWebServer().getPort();
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
