package io.novacron.control.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.control.ControlPlaneTest;
import io.novacron.control.security.Role;
import io.novacron.runtime.AgentMetrics;
import io.novacron.transfer.TransferMetrics;
import io.temporal.client.WorkflowClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The metrics as Prometheus reads them: the real control plane's {@code /actuator/prometheus}
 * after a run has ended, and an agent's {@code /metrics}, each piped through {@code promtool check
 * metrics}; the alert rules through {@code promtool check rules} and {@code promtool test rules};
 * and the Grafana dashboard's queries against the metric names those scrapes really serve. Needs
 * Debian's promtool ({@link Promtool}).
 */
class PrometheusScrapeIT extends ControlPlaneTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Path DEPLOY = Path.of("..", "deploy");
  private static final Pattern NOVACRON_NAME = Pattern.compile("novacron_[a-z0-9_]+");

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired WorkflowClient temporal;

  @Test
  void controlPlaneMetricsPassPromtoolAndCarryTheSeedNames() throws Exception {
    String scrape = scrapeAfterACancelledMigration();
    assertThat(scrape)
        .contains("# TYPE novacron_vm_operations_total counter")
        .contains("novacron_vm_operations_total{operation=\"migrate\",outcome=\"cancelled\"}")
        .contains("# TYPE novacron_operation_duration_seconds histogram")
        .contains("novacron_operation_duration_seconds_bucket{operation=\"migrate\",outcome=\"cancelled\",le=\"7200.0\"}")
        .contains("novacron_runs{state=\"attention\"}")
        .contains("novacron_nodes{state=\"down\"}")
        .contains("novacron_vms_without_running_copy ")
        .contains("novacron_migrations_over_timeout ");
    assertNoNovacronSummaries(scrape);
    Promtool.Result check = Promtool.run(DEPLOY, scrape, "check", "metrics");
    assertThat(check.novacronComplaints()).as(check.output()).isEmpty();
  }

  @Test
  void agentMetricsPassPromtool() throws Exception {
    String scrape = agentScrape();
    assertThat(scrape).contains("# TYPE novacron_transfer_duration_seconds histogram")
        .contains("novacron_transfer_wire_bytes_total ");
    assertNoNovacronSummaries(scrape);
    Promtool.Result check = Promtool.run(DEPLOY, scrape, "check", "metrics");
    assertThat(check.novacronComplaints()).as(check.output()).isEmpty();
  }

  @Test
  void gaugesCountWhatTheInventoryHas() throws Exception {
    double missingBefore = value(scrape(), "novacron_vms_without_running_copy");
    double downBefore = value(scrape(), "novacron_nodes{state=\"down\"}");
    double overBefore = value(scrape(), "novacron_migrations_over_timeout");
    try {
      // A node last heard of an hour ago (announcing every 10 s), a VM it ran, and one no node has.
      jdbc.sql("insert into nodes (name, cpus, memory_mib, host_seen_at, host_announce_interval_s)"
          + " values ('prom-gone', 4, 4096, now() - interval '1 hour', 10)").update();
      jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib) values"
          + " ('prom-on-gone', 'uuid-prom-on-gone', 'prom-gone', 'running', 1, 1024, 1),"
          + " ('prom-lost', 'uuid-prom-lost', 'prom-gone', 'missing', 1, 1024, 1)").update();
      // A 2 GiB migration running for three hours: past 2 x 1600 s + 5 min.
      jdbc.sql("insert into runs (id, type, subject, input, state, phase, started_at, updated_at) values"
          + " ('prom-stuck-migration', 'MigrateVm', 'prom-on-gone', '{\"mode\":\"live\"}', 'RUNNING', 'transfer',"
          + " now() - interval '3 hours', now())").update();
      String scrape = scrape();
      assertThat(value(scrape, "novacron_vms_without_running_copy")).isEqualTo(missingBefore + 2);
      assertThat(value(scrape, "novacron_nodes{state=\"down\"}")).isEqualTo(downBefore + 1);
      assertThat(value(scrape, "novacron_migrations_over_timeout")).isEqualTo(overBefore + 1);
    } finally {
      jdbc.sql("delete from runs where id = 'prom-stuck-migration'").update();
      jdbc.sql("delete from vms where name in ('prom-on-gone', 'prom-lost')").update();
      jdbc.sql("delete from nodes where name = 'prom-gone'").update();
    }
  }

  @Test
  void alertRulesPassPromtoolAndFire() throws Exception {
    Promtool.Result check = Promtool.run(DEPLOY.resolve("prometheus"), "", "check", "rules", "novacron-alerts.yml");
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: 5 rules found");
    Promtool.Result test = Promtool.run(DEPLOY.resolve("prometheus"), "", "test", "rules", "novacron-alerts.test.yml");
    assertThat(test.exitCode()).as(test.output()).isZero();
  }

  @Test
  void dashboardAndAlertsNameOnlyMetricsThatAreServed() throws Exception {
    Set<String> served = new TreeSet<>(names(scrapeAfterACancelledMigration()));
    served.addAll(names(agentScrape()));
    JsonNode dashboard = JSON.readTree(DEPLOY.resolve("grafana/novacron-dashboard.json").toFile());
    assertThat(dashboard.get("title").asText()).isEqualTo("NovaCron");
    Set<String> queried = new TreeSet<>();
    for (JsonNode panel : dashboard.get("panels")) {
      assertThat(panel.get("targets")).as("panel %s has queries", panel.get("title")).isNotEmpty();
      for (JsonNode target : panel.get("targets")) {
        queried.addAll(novacronNames(target.get("expr").asText()));
      }
    }
    queried.addAll(novacronNames(Files.readString(DEPLOY.resolve("prometheus/novacron-alerts.yml"))));
    assertThat(queried).contains("novacron_vm_operations_total", "novacron_operation_duration_seconds_bucket",
        "novacron_migration_downtime_seconds_bucket", "novacron_transfer_wire_bytes_total");
    assertThat(served).containsAll(queried);
  }

  private String scrapeAfterACancelledMigration() throws Exception {
    String token = tokenFor(Role.OPERATOR);
    // Temporal's in-memory test server refuses a workflow task that cancels an activity whose
    // completion arrived in the same task (FAILED_PRECONDITION ACTIVITY_UNKNOWN,
    // temporalio/sdk-java#2391; the real server accepts it) and the run then never moves again.
    // Each try cancels only after every question the control plane serves has been answered, and
    // a try that still got stuck is terminated, so that it holds no migration slot.
    String state = "";
    for (int attempt = 0; attempt < 3 && !state.equals("CANCELLED"); attempt++) {
      state = cancelledMigrationState(token);
    }
    assertThat(state).isEqualTo("CANCELLED");
    return scrape();
  }

  /** Starts a migration no agent serves, cancels it, and answers the state it reached (bounded wait). */
  private String cancelledMigrationState(String token) throws Exception {
    // Nodes of this try's own, seen now: a stuck earlier try holds no slot of theirs, and they are
    // not down (stale) when the migration is asked for.
    String tag = java.util.UUID.randomUUID().toString().substring(0, 8);
    String source = "prom-a-" + tag;
    String target = "prom-b-" + tag;
    jdbc.sql("insert into nodes (name, cpus, memory_mib, host_seen_at) values (:a, 8, 16384, now()),"
        + " (:b, 8, 16384, now())").param("a", source).param("b", target).update();
    String vm = "prom-vm-" + tag;
    jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib) values (:name, :name, :node,"
        + " 'running', 1, 128, 1)").param("name", vm).param("node", source).update();
    // No host agent serves these nodes: the run waits on the check's questions to them.
    HttpResponse<String> accepted = send(token, HttpRequest.newBuilder(uri("/api/v1/migrations"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"vmName\":\"" + vm + "\",\"targetNode\":\"" + target
            + "\",\"mode\":\"live\"}")));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String runId = JSON.readTree(accepted.body()).get("runId").asText();
    // After the slot's grant (the check's detail says so) the control plane answers the last of its questions (the
    // capacity hold, the phase's record) at once; then only the unserved node questions are out.
    for (int i = 0; i < 100 && !runNode(token, runId).path("detail").asText().equals("migration slot granted"); i++) {
      Thread.sleep(100);
    }
    Thread.sleep(1_000);
    send(token, HttpRequest.newBuilder(uri("/api/v1/runs/" + runId + "/cancel")).POST(HttpRequest.BodyPublishers.noBody()));
    String state = "";
    // Bounded waits for the workflow, never timing assertions.
    for (int i = 0; i < 150 && !state.equals("CANCELLED"); i++) {
      Thread.sleep(200);
      state = runNode(token, runId).path("state").asText();
    }
    if (!state.equals("CANCELLED")) {
      temporal.newUntypedWorkflowStub(runId).terminate("PrometheusScrapeIT: stuck on the test server's cancel");
    }
    return state;
  }

  private JsonNode runNode(String token, String runId) throws Exception {
    HttpResponse<String> run = send(token, HttpRequest.newBuilder(uri("/api/v1/runs/" + runId)).GET());
    return run.statusCode() == 200 ? JSON.readTree(run.body()) : JSON.createObjectNode();
  }

  private String agentScrape() throws Exception {
    try (AgentMetrics agent = AgentMetrics.start("127.0.0.1", freePort())) {
      new TransferMetrics(agent.registry());
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    }
  }

  private String scrape() throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/actuator/prometheus")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private HttpResponse<String> send(String token, HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** The value of the series written exactly {@code series} (name and labels). */
  private static double value(String scrape, String series) {
    return scrape.lines().filter(line -> line.startsWith(series + " ")).findFirst()
        .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
        .orElseThrow(() -> new AssertionError("no series " + series));
  }

  /** The names of the novacron_ series a scrape serves. */
  private static Set<String> names(String scrape) {
    return scrape.lines().filter(line -> line.startsWith("novacron_"))
        .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toSet());
  }

  private static Set<String> novacronNames(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = NOVACRON_NAME.matcher(text);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  private static void assertNoNovacronSummaries(String scrape) {
    assertThat(scrape.lines().filter(line -> line.startsWith("# TYPE novacron_") && line.endsWith(" summary")))
        .as("durations and distributions are histograms: Prometheus cannot aggregate summaries").isEmpty();
  }
}
