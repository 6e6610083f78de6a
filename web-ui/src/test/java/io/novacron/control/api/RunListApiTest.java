package io.novacron.control.api;

import static io.novacron.control.api.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.novacron.control.ControlPlaneTest;
import io.novacron.control.ScriptedMigrationHosts;
import io.novacron.control.security.Role;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.novacron.workflows.model.deploy.DeployModelWorkflow;
import io.temporal.client.WorkflowClient;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The run, migration and deployment lists and reads (issue 18): filters and paging in SQL,
 * {@code X-Total-Count}, 400 naming the parameter, 404s, and a migration's live {@code progress}.
 * The database is shared with other test classes, so each test filters on names of its own or
 * compares with a count taken in SQL.
 */
class RunListApiTest extends ControlPlaneTest {
  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired WorkflowClient temporal;
  private ApiClient api;
  private String tag;

  @BeforeEach
  void client() {
    api = new ApiClient(port, tokenFor(Role.VIEWER));
    tag = UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void runsAreFilteredByTypeStateAndSubjectNewestFirstWithTheTotal() throws Exception {
    String type = "ListTest" + tag;
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 5; i++) {
      record("r" + i + "-" + tag, type, i < 3 ? "vm-x-" + tag : "vm-y-" + tag, i % 2 == 0 ? "SUCCEEDED" : "FAILED",
          t0.plusSeconds(i));
    }
    HttpResponse<String> all = api.get("/api/v1/runs?type=" + type);
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.headers().firstValue("X-Total-Count")).hasValue("5");
    assertThat(ids(all)).containsExactly("r4-" + tag, "r3-" + tag, "r2-" + tag, "r1-" + tag, "r0-" + tag);

    HttpResponse<String> failed = api.get("/api/v1/runs?type=" + type + "&state=failed");
    assertThat(ids(failed)).as("state in any case").containsExactly("r3-" + tag, "r1-" + tag);
    assertThat(failed.headers().firstValue("X-Total-Count")).hasValue("2");

    HttpResponse<String> ofX = api.get("/api/v1/runs?type=" + type + "&subject=vm-x-" + tag + "&state=SUCCEEDED");
    assertThat(ids(ofX)).containsExactly("r2-" + tag, "r0-" + tag);

    HttpResponse<String> second = api.get("/api/v1/runs?type=" + type + "&page=1&size=2");
    assertThat(ids(second)).containsExactly("r2-" + tag, "r1-" + tag);
    assertThat(second.headers().firstValue("X-Total-Count")).as("the total over all pages").hasValue("5");
    HttpResponse<String> past = api.get("/api/v1/runs?type=" + type + "&page=9&size=2");
    assertThat(ids(past)).as("a page past the end is empty, not an error").isEmpty();
    assertThat(past.headers().firstValue("X-Total-Count")).hasValue("5");

    JsonNode item = JSON.readTree(all.body()).get(0);
    assertThat(item.get("type").asText()).isEqualTo(type);
    assertThat(item.has("progress")).as("no byte progress, no progress object").isFalse();
  }

  @Test
  void badPagingAndAnUnknownStateAre400NamingTheParameter() throws Exception {
    for (String path : List.of("/api/v1/runs", "/api/v1/migrations", "/api/v1/deployments")) {
      assertProblem(path + "?page=-1", "page");
      assertProblem(path + "?page=first", "page");
      assertProblem(path + "?size=0", "size");
      assertProblem(path + "?size=201", "size");
      assertProblem(path + "?page=-1&size=500", "page", "size");
      assertProblem(path + "?state=DONE", "state");
      assertThat(api.get(path + "?page=0&size=200").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void migrationsListOnlyMigrateVmRunsOfTheVmAskedFor() throws Exception {
    String vm = "lm-" + tag;
    Instant t0 = Instant.parse("2026-02-01T00:00:00Z");
    record("migrate-" + vm + "-1", MigrateVmWorkflow.TYPE, vm, "SUCCEEDED", t0);
    record("migrate-" + vm + "-2", MigrateVmWorkflow.TYPE, vm, "FAILED", t0.plusSeconds(1));
    record("power-" + vm, "VmPower", vm, "SUCCEEDED", t0.plusSeconds(2));

    HttpResponse<String> list = api.get("/api/v1/migrations?vm=" + vm);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(ids(list)).containsExactly("migrate-" + vm + "-2", "migrate-" + vm + "-1");
    assertThat(list.headers().firstValue("X-Total-Count")).hasValue("2");
    assertThat(ids(api.get("/api/v1/migrations?vm=" + vm + "&state=SUCCEEDED"))).containsExactly("migrate-" + vm + "-1");

    long migrations = count(MigrateVmWorkflow.TYPE);
    assertThat(api.get("/api/v1/migrations?size=1").headers().firstValue("X-Total-Count"))
        .hasValue(Long.toString(migrations));

    JsonNode one = JSON.readTree(api.get("/api/v1/migrations/migrate-" + vm + "-2").body());
    JsonNode asRun = JSON.readTree(api.get("/api/v1/runs/migrate-" + vm + "-2").body());
    assertThat(one).as("the same record as GET /runs/{id}").isEqualTo(asRun);
    assertThat(one.get("state").asText()).isEqualTo("FAILED");

    assertNotFound("/api/v1/migrations/power-" + vm);
    assertNotFound("/api/v1/migrations/no-such-run-" + tag);
  }

  @Test
  void deploymentsListOnlyDeployModelRuns() throws Exception {
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    record("deploy-a-" + tag, DeployModelWorkflow.TYPE, "model-" + tag, "RUNNING", t0);
    record("other-" + tag, "ProvisionVm", "model-" + tag, "RUNNING", t0.plusSeconds(1));

    HttpResponse<String> list = api.get("/api/v1/deployments?size=200");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.headers().firstValue("X-Total-Count")).hasValue(Long.toString(count(DeployModelWorkflow.TYPE)));
    assertThat(ids(list)).contains("deploy-a-" + tag).doesNotContain("other-" + tag);
    JSON.readTree(list.body()).forEach(run -> assertThat(run.get("type").asText()).isEqualTo(DeployModelWorkflow.TYPE));
    long running = jdbc.sql("select count(*) from runs where type = :t and state = 'RUNNING'")
        .param("t", DeployModelWorkflow.TYPE).query(Long.class).single();
    assertThat(api.get("/api/v1/deployments?state=running").headers().firstValue("X-Total-Count"))
        .hasValue(Long.toString(running));

    JsonNode one = JSON.readTree(api.get("/api/v1/deployments/deploy-a-" + tag).body());
    assertThat(one.get("subject").asText()).isEqualTo("model-" + tag);
    assertThat(one.get("timeline").isArray()).isTrue();
    assertNotFound("/api/v1/deployments/other-" + tag);
    assertNotFound("/api/v1/deployments/no-such-run-" + tag);
  }

  @Test
  void aTransferringMigrationCarriesItsLiveProgress() throws Exception {
    ApiClient operator = new ApiClient(port, tokenFor(Role.OPERATOR));
    String source = "prog-a-" + tag;
    String target = "prog-b-" + tag;
    String vm = "prog-vm-" + tag;
    jdbc.sql("insert into nodes (name, cpus, memory_mib, storage_free_gib, storage_total_gib, host_seen_at)"
        + " values (:a, 8, 16384, 100, 100, now()), (:b, 8, 16384, 100, 100, now())")
        .param("a", source).param("b", target).update();
    jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib) values (:vm, :vm, :a, 'running',"
        + " 1, 128, 1)").param("vm", vm).param("a", source).update();
    // Stand-in agents heartbeat progress samples until forced, as the real monitor does.
    try (ScriptedMigrationHosts hosts = new ScriptedMigrationHosts(temporal, source, target)) {
      HttpResponse<String> accepted = operator.post("/api/v1/migrations",
          "{\"vmName\":\"" + vm + "\",\"targetNode\":\"" + target + "\"}", null);
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      String runId = JSON.readTree(accepted.body()).get("runId").asText();

      JsonNode run = awaitProgress("/api/v1/migrations/" + runId);
      JsonNode progress = run.get("progress");
      assertThat(progress.get("phase").asText()).isEqualTo("transfer");
      long processed = progress.get("bytesProcessed").asLong();
      assertThat(processed + progress.get("bytesRemaining").asLong()).isEqualTo(progress.get("bytesTotal").asLong());
      assertThat(progress.get("percent").asDouble()).isBetween(0.0, 100.0);
      assertThat(progress.get("bytesPerSecond").asLong()).as("25 MiB/s").isEqualTo(25L << 20);
      assertThat(progress.get("converging").asBoolean()).as("25 MiB/s sent, 4 MiB/s dirtied").isTrue();
      assertThat(progress.get("etaSeconds").asLong()).isPositive();
      assertThat(Instant.parse(progress.get("at").asText())).isBefore(Instant.now().plusSeconds(1));

      JsonNode listed = JSON.readTree(api.get("/api/v1/migrations?vm=" + vm).body()).get(0);
      assertThat(listed.get("id").asText()).isEqualTo(runId);
      assertThat(listed.has("progress")).as("list items carry it too").isTrue();
      assertThat(JSON.readTree(api.get("/api/v1/runs/" + runId).body()).has("progress")).isTrue();

      for (int i = 0; i < 60 && !hosts.forced(); i++) {
        operator.post("/api/v1/runs/" + runId + "/force-complete", "", null);
        Thread.sleep(500);
      }
      JsonNode ended = api.awaitEnd(runId);
      assertThat(ended.get("state").asText()).isEqualTo("SUCCEEDED");
      assertThat(ended.has("progress")).as("an ended run reports no live progress").isFalse();
    }
  }

  @Test
  void theOpenApiDocumentListsTheNewEndpointsWithIntegerPaging() throws Exception {
    JsonNode paths = JSON.readTree(api.get("/v3/api-docs").body()).get("paths");
    for (String path : List.of("/api/v1/migrations", "/api/v1/migrations/{runId}", "/api/v1/deployments",
        "/api/v1/deployments/{runId}", "/api/v1/users/{name}")) {
      assertThat(paths.has(path) && paths.get(path).has("get")).as(path).isTrue();
    }
    for (String path : List.of("/api/v1/runs", "/api/v1/migrations", "/api/v1/deployments", "/api/v1/vms",
        "/api/v1/nodes", "/api/v1/images")) {
      List<String> pagingTypes = new ArrayList<>();
      paths.get(path).get("get").get("parameters").forEach(parameter -> {
        if (List.of("page", "size").contains(parameter.get("name").asText())) {
          pagingTypes.add(parameter.get("name").asText() + ":" + parameter.get("schema").get("type").asText());
        }
      });
      assertThat(pagingTypes).as(path).containsExactlyInAnyOrder("page:integer", "size:integer");
    }
  }

  private JsonNode awaitProgress(String path) throws Exception {
    JsonNode run = null;
    for (int i = 0; i < 150; i++) {
      run = JSON.readTree(api.get(path).body());
      if (run.has("progress")) {
        return run;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no progress in " + run);
  }

  private void record(String id, String type, String subject, String state, Instant startedAt) {
    jdbc.sql("insert into runs (id, type, subject, state, phase, started_at, updated_at, ended_at)"
            + " values (:id, :type, :subject, :state, 'done', :at, :at, :ended)")
        .param("id", id).param("type", type).param("subject", subject).param("state", state)
        .param("at", Timestamp.from(startedAt))
        .param("ended", "RUNNING".equals(state) ? null : Timestamp.from(startedAt.plusSeconds(1)))
        .update();
  }

  private long count(String type) {
    return jdbc.sql("select count(*) from runs where type = :t").param("t", type).query(Long.class).single();
  }

  private static List<String> ids(HttpResponse<String> list) throws Exception {
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    JSON.readTree(list.body()).forEach(run -> ids.add(run.get("id").asText()));
    return ids;
  }

  private void assertProblem(String path, String... fields) throws Exception {
    HttpResponse<String> response = api.get(path);
    assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(ApiClient.fields(response.body())).as(path).containsExactlyInAnyOrder(fields);
  }

  private void assertNotFound(String path) throws Exception {
    HttpResponse<String> response = api.get(path);
    assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(404);
    assertThat(JSON.readTree(response.body()).get("detail").asText()).isNotBlank();
  }
}
