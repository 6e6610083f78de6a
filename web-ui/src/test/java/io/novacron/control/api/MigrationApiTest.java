package io.novacron.control.api;

import static io.novacron.control.api.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import com.fasterxml.jackson.databind.JsonNode;
import io.novacron.control.ControlPlaneTest;
import io.novacron.control.ScriptedMigrationHosts;
import io.novacron.control.security.Role;
import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.migrate.MigrationActivities;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.failure.ApplicationFailure;
import io.temporal.worker.WorkerFactory;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * POST /api/v1/migrations on the real control plane. No host agent polls these nodes, so an
 * accepted run waits on its first host step: long enough to read, signal and cancel it.
 */
class MigrationApiTest extends ControlPlaneTest {
  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired WorkflowClient temporal;
  private ApiClient api;

  @BeforeEach
  void inventory() {
    api = new ApiClient(port, tokenFor(Role.OPERATOR));
    jdbc.sql("insert into nodes (name, cpus, memory_mib, host_seen_at) values ('mig-a', 8, 16384, now()),"
        + " ('mig-b', 8, 16384, now()) on conflict (name) do nothing").update();
    for (String vm : new String[] {"mig-vm1", "mig-vm2", "mig-vm3"}) {
      jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib) values (:name, :name, 'mig-a',"
          + " 'running', 1, 128, 1) on conflict (name) do nothing").param("name", vm).update();
    }
  }

  @Test
  void aValidMigrationIsAcceptedAsAMigrateVmRunFromTheVmsNode() throws Exception {
    HttpResponse<String> accepted = migrate("{\"vmName\":\"mig-vm1\",\"targetNode\":\"mig-b\",\"mode\":\"live\","
        + "\"options\":{\"bandwidthMiBps\":100,\"onTimeout\":\"force-complete\"}}", null);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String runId = JSON.readTree(accepted.body()).get("runId").asText();
    assertThat(runId).startsWith("migrate-mig-vm1-");
    assertThat(accepted.headers().firstValue("Location")).hasValue("/api/v1/runs/" + runId);

    awaitRecord(runId);
    // The run first waits for a migration slot (QUEUED); the keeper grants it as nothing else runs.
    // Its record says RUNNING before it queues too (the check's first step): wait for the grant.
    JsonNode run = awaitGranted(runId);
    assertThat(run.get("type").asText()).isEqualTo("MigrateVm");
    String input = jdbc.sql("select input from runs where id = :id").param("id", runId).query(String.class).single();
    JsonNode request = JSON.readTree(input);
    assertThat(request.get("sourceNode").asText()).as("the source comes from the inventory").isEqualTo("mig-a");
    assertThat(request.get("options").get("bandwidthMiBps").asInt()).isEqualTo(100);

    assertThat(api.post("/api/v1/runs/" + runId + "/force-complete", "", null).statusCode()).isEqualTo(202);
    assertThat(api.post("/api/v1/runs/" + runId + "/cancel", "", null).statusCode()).isEqualTo(202);
    assertThat(api.awaitEnd(runId).get("state").asText()).isEqualTo("CANCELLED");
    // The ended run is measured by mode and outcome (metrics are recorded with the final event).
    String metrics = api.get("/actuator/prometheus").body();
    assertThat(metrics).contains("novacron_migration_duration_seconds_count{mode=\"live\",outcome=\"cancelled\"}")
        .contains("novacron_run_duration_seconds_count{state=\"cancelled\",type=\"MigrateVm\"}");
    assertThat(api.post("/api/v1/runs/" + runId + "/force-complete", "", null).statusCode())
        .as("an ended run cannot be forced").isEqualTo(409);
  }

  @Test
  void aCompletedMigrationIsMeasuredByItsDowntime() throws Exception {
    // Room on the target for the VM's disk and memory: the migration's check asks the inventory.
    jdbc.sql("insert into nodes (name, cpus, memory_mib, storage_free_gib, storage_total_gib, host_seen_at)"
        + " values ('mig-c', 8, 16384, 100, 100, now()), ('mig-d', 8, 16384, 100, 100, now())"
        + " on conflict (name) do nothing").update();
    jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib) values ('mig-vm5', 'mig-vm5',"
        + " 'mig-c', 'running', 1, 128, 1) on conflict (name) do nothing").update();
    // Other tests of this shared context migrate too: measure what this migration adds.
    double countBefore = sample(DOWNTIME_COUNT);
    double sumBefore = sample(DOWNTIME_SUM);
    double processedBefore = sample(PROCESSED);
    // Stand-in agents whose live migration converges only when forced; it then reports 42 ms downtime.
    try (ScriptedMigrationHosts hosts = new ScriptedMigrationHosts(temporal, "mig-c", "mig-d")) {
      HttpResponse<String> accepted = migrate("{\"vmName\":\"mig-vm5\",\"targetNode\":\"mig-d\"}", null);
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      String runId = JSON.readTree(accepted.body()).get("runId").asText();
      awaitPhase(runId, "transfer");
      // While it moves, the target holds the VM's memory for it.
      assertThat(held(runId)).isEqualTo(List.of("mig-d 128"));
      // Again until it lands: the phase is recorded just before the workflow starts listening.
      JsonNode run = null;
      for (int i = 0; i < 60 && (run == null || "RUNNING".equals(run.get("state").asText())); i++) {
        api.post("/api/v1/runs/" + runId + "/force-complete", "", null);
        Thread.sleep(500);
        run = JSON.readTree(api.get("/api/v1/runs/" + runId).body());
      }
      assertThat(hosts.forced()).isTrue();
      assertThat(api.awaitEnd(runId).get("state").asText()).isEqualTo("SUCCEEDED");
      // The hold goes right after the run's last record; the VM's own reservation moved with it.
      for (int i = 0; i < 50 && !held(runId).isEmpty(); i++) {
        Thread.sleep(100);
      }
      assertThat(held(runId)).as("no hold outlives the run").isEmpty();
    }
    // The downtime comes from the workflow's result, read after the run's last record (the series
    // itself exists from the start, at zero).
    for (int i = 0; i < 50 && sample(DOWNTIME_COUNT) < countBefore + 1; i++) {
      Thread.sleep(100);
    }
    assertThat(sample(DOWNTIME_COUNT)).isEqualTo(countBefore + 1);
    assertThat(sample(DOWNTIME_SUM) - sumBefore).isCloseTo(0.042, org.assertj.core.data.Offset.offset(1e-9));
    // libvirt's processed bytes (the scripted target's 256 MiB); nothing through the engine.
    assertThat(sample(PROCESSED) - processedBefore).isEqualTo(268435456.0);
    assertThat(api.get("/actuator/prometheus").body()).doesNotContain("novacron_migration_wire_bytes_total");
  }

  private static final String DOWNTIME_COUNT = "novacron_migration_downtime_seconds_count{mode=\"live\",outcome=\"succeeded\"} ";
  private static final String DOWNTIME_SUM = "novacron_migration_downtime_seconds_sum{mode=\"live\",outcome=\"succeeded\"} ";
  private static final String PROCESSED = "novacron_migration_processed_bytes_total{mode=\"live\"} ";

  /** The value of the series whose line starts with {@code prefix}, 0 while it is not served. */
  private double sample(String prefix) throws Exception {
    for (String line : api.get("/actuator/prometheus").body().split("\n")) {
      if (line.startsWith(prefix)) {
        return Double.parseDouble(line.substring(prefix.length()).strip());
      }
    }
    return 0;
  }

  /**
   * Two migrations hold node mig-q's two slots (their agent keeps them in the check phase); a third
   * waits QUEUED, is cancelled there, and ends CANCELLED without its VM ever reaching an agent.
   */
  @Test
  void aMigrationCancelledWhileQueuedEndsCancelledHavingTouchedNothing() throws Exception {
    jdbc.sql("insert into nodes (name, cpus, memory_mib, host_seen_at) values ('mig-q', 8, 16384, now()),"
        + " ('mig-r', 8, 16384, now()) on conflict (name) do nothing").update();
    for (String vm : new String[] {"mig-q1", "mig-q2", "mig-q3"}) {
      jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib) values (:name, :name, 'mig-q',"
          + " 'running', 1, 128, 1) on conflict (name) do nothing").param("name", vm).update();
    }
    Set<String> described = ConcurrentHashMap.newKeySet();
    CountDownLatch release = new CountDownLatch(1);
    MigrationActivities agent = mock(MigrationActivities.class, withSettings().withoutAnnotations());
    when(agent.describeSource(anyString())).thenAnswer(call -> {
      described.add(call.getArgument(0));
      release.await(2, TimeUnit.MINUTES);
      throw ApplicationFailure.newNonRetryableFailure("test agent: not running", FailureTypes.DOMAIN_NOT_RUNNING);
    });
    WorkerFactory factory = WorkerFactory.newInstance(temporal);
    factory.newWorker(TaskQueues.host("mig-q")).registerActivitiesImplementations(agent);
    factory.start();
    try {
      String first = runId(migrate("{\"vmName\":\"mig-q1\",\"targetNode\":\"mig-r\"}", null));
      String second = runId(migrate("{\"vmName\":\"mig-q2\",\"targetNode\":\"mig-r\"}", null));
      awaitGranted(first);
      awaitGranted(second);
      String third = runId(migrate("{\"vmName\":\"mig-q3\",\"targetNode\":\"mig-r\"}", null));
      assertThat(awaitState(third, "QUEUED").get("phase").asText()).isEqualTo("queued");
      awaitControlPlaneAnswersTakenIn(third);

      assertThat(api.post("/api/v1/runs/" + third + "/cancel", "", null).statusCode()).isEqualTo(202);
      JsonNode cancelled = api.awaitEnd(third);

      assertThat(cancelled.get("state").asText()).as(cancelled.toString()).isEqualTo("CANCELLED");
      assertThat(cancelled.get("detail").asText()).contains("nothing was touched");
      assertThat(jdbc.sql("select phase from run_events where run_id = :id and state <> 'CANCEL_REQUESTED'"
          + " order by at, id").param("id", third)
          .query(String.class).list()).as("no phase after the queue").containsExactly("check", "queued", "cancelled");
      // Nothing touched: the check's read-only questions go out while a run is queued (issue 17), so
      // the source may have been described; nothing was frozen, prepared or migrated. The first two
      // fail at their describe, so any other call on this agent would be the third's.
      assertThat(described).as("the agent was asked about the first two").contains("mig-q1", "mig-q2");
      assertThat(mockingDetails(agent).getInvocations()).as("only read-only questions reached the source's agent")
          .allSatisfy(call -> assertThat(call.getMethod().getName()).isEqualTo("describeSource"));
      assertThat(jdbc.sql("select node from vms where name = 'mig-q3'").query(String.class).single()).isEqualTo("mig-q");
    } finally {
      release.countDown();
      factory.shutdown();
      factory.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static String runId(HttpResponse<String> accepted) throws Exception {
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return JSON.readTree(accepted.body()).get("runId").asText();
  }

  @Test
  void aRetryWithTheSameIdempotencyKeyAnswersWithTheSameRun() throws Exception {
    String body = "{\"vmName\":\"mig-vm2\",\"targetNode\":\"mig-b\",\"mode\":\"cold\"}";
    HttpResponse<String> first = migrate(body, "mig-key-1");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    String runId = JSON.readTree(first.body()).get("runId").asText();
    awaitRecord(runId);

    HttpResponse<String> retry = migrate(body, "mig-key-1");
    assertThat(retry.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(retry.body()).get("runId").asText()).isEqualTo(runId);
    assertThat(jdbc.sql("select count(*) from runs where subject = 'mig-vm2'").query(Long.class).single()).isEqualTo(1);

    HttpResponse<String> other = migrate(body.replace("cold", "live"), "mig-key-1");
    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(other.body()).contains("was used for a different request");
    assertThat(migrate(body, "bad key").statusCode()).isEqualTo(400);
    api.post("/api/v1/runs/" + runId + "/cancel", "", null);
  }

  @Test
  void badOrdersAreRefusedNamingEveryField() throws Exception {
    assertBadRequest("{\"vmName\":\"nobody\",\"targetNode\":\"nowhere\"}", "vmName", "targetNode");
    assertBadRequest("{\"vmName\":\"mig-vm3\",\"targetNode\":\"mig-a\"}", "targetNode");
    assertBadRequest("{\"vmName\":\"mig-vm3\",\"targetNode\":\"mig-b\",\"mode\":\"teleport\"}", "mode");
    assertBadRequest("{\"vmName\":\"mig-vm3\",\"targetNode\":\"mig-b\",\"options\":{\"bandwidthMiBps\":-1,"
        + "\"parallelConnections\":0,\"maxDowntimeMs\":9999999}}",
        "options.bandwidthMiBps", "options.parallelConnections", "options.maxDowntimeMs");
    assertBadRequest("{\"vmName\":\"mig-vm3\",\"target\":\"mig-b\"}", "target");
    assertBadRequest("{}", "vmName", "targetNode");
    assertBadRequest("", "body");
    jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib) values ('mig-gone', 'mig-gone',"
        + " 'mig-a', 'missing', 1, 128, 1) on conflict (name) do nothing").update();
    assertBadRequest("{\"vmName\":\"mig-gone\",\"targetNode\":\"mig-b\"}", "vmName");
    assertThat(jdbc.sql("select count(*) from runs where subject in ('mig-vm3', 'mig-gone')").query(Long.class).single())
        .as("nothing was started").isZero();
  }

  @Test
  void aViewerCannotMigrate() throws Exception {
    HttpResponse<String> refused = new ApiClient(port, tokenFor(Role.VIEWER)).post("/api/v1/migrations",
        "{\"vmName\":\"mig-vm3\",\"targetNode\":\"mig-b\"}", null);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(jdbc.sql("select count(*) from runs where subject = 'mig-vm3'").query(Long.class).single()).isZero();
  }

  @Test
  void theOpenApiDocumentListsTheNewEndpoints() throws Exception {
    JsonNode paths = JSON.readTree(api.get("/v3/api-docs").body()).get("paths");
    assertThat(paths.has("/api/v1/migrations")).isTrue();
    assertThat(paths.has("/api/v1/runs/{id}/force-complete")).isTrue();
  }

  private void assertBadRequest(String body, String... fields) throws Exception {
    HttpResponse<String> response = migrate(body, null);
    assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(ApiClient.fields(response.body())).as(body).containsExactlyInAnyOrder(fields);
  }

  private HttpResponse<String> migrate(String body, String idempotencyKey) throws Exception {
    return api.post("/api/v1/migrations", body, idempotencyKey);
  }

  /** Waits until the workflow has written its run record (its first task). */
  private JsonNode awaitRecord(String runId) throws Exception {
    for (int i = 0; i < 100; i++) {
      if (jdbc.sql("select count(*) from runs where id = :id").param("id", runId).query(Long.class).single() > 0) {
        return JSON.readTree(api.get("/api/v1/runs/" + runId).body());
      }
      Thread.sleep(100);
    }
    throw new AssertionError("run " + runId + " was never recorded");
  }

  private JsonNode awaitState(String runId, String state) throws Exception {
    return await(runId, run -> state.equals(run.get("state").asText()), "reached " + state);
  }

  /** The run once its slot is granted: RUNNING, with a queued phase behind it. */
  private JsonNode awaitGranted(String runId) throws Exception {
    return await(runId, run -> {
      boolean queued = false;
      for (JsonNode change : run.get("timeline")) {
        queued |= "queued".equals(change.get("phase").asText());
      }
      return queued && "RUNNING".equals(run.get("state").asText());
    }, "was granted its slot");
  }

  private JsonNode awaitPhase(String runId, String phase) throws Exception {
    return await(runId, run -> phase.equals(run.get("phase").asText()), "reached phase " + phase);
  }

  /**
   * Waits (up to 10 s) until the run's workflow has taken in the answers of every activity the
   * control plane serves (all but the agents' {@code Migration.*} and {@code Host.*}, which nobody
   * answers here while the run is queued). Temporal's in-memory test server answers a workflow task
   * that cancels an activity whose completion arrived in the same task with ACTIVITY_UNKNOWN, and
   * the run never moves again (temporalio/sdk-java#2391; the real server accepts that cancel). A
   * cancel sent after this cannot meet that race. Past 10 s the test cancels anyway.
   */
  private void awaitControlPlaneAnswersTakenIn(String runId) throws Exception {
    for (int i = 0; i < 50; i++) {
      Set<Long> pending = new java.util.HashSet<>();
      EventType last = null;
      for (HistoryEvent event : temporal.fetchHistory(runId).getEvents()) {
        last = event.getEventType();
        switch (last) {
          case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
            String type = event.getActivityTaskScheduledEventAttributes().getActivityType().getName();
            if (!type.startsWith("Migration.") && !type.startsWith("Host.")) {
              pending.add(event.getEventId());
            }
          }
          case EVENT_TYPE_ACTIVITY_TASK_COMPLETED ->
              pending.remove(event.getActivityTaskCompletedEventAttributes().getScheduledEventId());
          case EVENT_TYPE_ACTIVITY_TASK_FAILED ->
              pending.remove(event.getActivityTaskFailedEventAttributes().getScheduledEventId());
          case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT ->
              pending.remove(event.getActivityTaskTimedOutEventAttributes().getScheduledEventId());
          default -> { }
        }
      }
      if (pending.isEmpty() && last == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
        return;
      }
      Thread.sleep(200);
    }
  }

  /** Polls the run's record every 200 ms for up to 30 s until {@code done} holds. */
  private JsonNode await(String runId, Predicate<JsonNode> done, String what) throws Exception {
    JsonNode run = null;
    for (int i = 0; i < 150; i++) {
      run = JSON.readTree(api.get("/api/v1/runs/" + runId).body());
      if (done.test(run)) {
        return run;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("run " + runId + " never " + what + ": " + run);
  }

  /** The run's hold on its migration target, as "node memory_mib". */
  private List<String> held(String runId) {
    return jdbc.sql("select node || ' ' || memory_mib from migration_holds where run_id = :id")
        .param("id", runId).query(String.class).list();
  }
}
