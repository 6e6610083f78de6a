package io.novacron.control.api;

import static io.novacron.control.api.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.novacron.control.ControlPlaneTest;
import io.novacron.control.security.Role;
import io.novacron.workflows.migrate.MigrateVmRequest;
import io.novacron.workflows.migrate.MigrateVmResult;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.novacron.workflows.migrate.Resolution;
import io.novacron.workflows.run.RunStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code POST /api/v1/runs/{id}/resolve} on the real control plane. The migration that waits is a
 * stand-in registered under the type MigrateVm on a queue of its own ({@link WaitingMigration}):
 * the API talks to it through the real {@code resolve} update and its validator.
 */
class RunResolveApiTest extends ControlPlaneTest {
  private static final String QUEUE = "resolve-test";
  private static WorkerFactory worker;

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired WorkflowClient temporal;
  private ApiClient api;

  /** A migration waiting in ATTENTION: takes RETRY, ABANDON and KEEP_SOURCE, refuses KEEP_TARGET. */
  public static class WaitingMigration implements MigrateVmWorkflow {
    static final String REFUSAL = "the copy on res-b was last seen shut off; keep-target needs it running";
    private Resolution taken;

    @Override
    public MigrateVmResult migrate(MigrateVmRequest request) {
      Workflow.await(() -> taken != null);
      return null;
    }

    @Override
    public RunStatus status() {
      return null;
    }

    @Override
    public void forceComplete() {}

    @Override
    public void slotGranted() {}

    @Override
    public void validateResolve(Resolution resolution) {
      if (resolution == Resolution.KEEP_TARGET) {
        throw new IllegalStateException(REFUSAL);
      }
    }

    @Override
    public String resolve(Resolution resolution) {
      taken = resolution;
      return "took " + resolution + ": the run goes on with it now";
    }
  }

  @BeforeEach
  void setUp() {
    api = new ApiClient(port, tokenFor(Role.OPERATOR));
    synchronized (RunResolveApiTest.class) {
      if (worker == null) {
        // Lives as long as the test JVM, like the cached context whose Temporal it polls.
        worker = WorkerFactory.newInstance(temporal);
        worker.newWorker(QUEUE).registerWorkflowImplementationTypes(WaitingMigration.class);
        worker.start();
      }
    }
  }

  @Test
  void anOperatorsResolutionReachesTheWaitingRunAndIsAudited() throws Exception {
    String runId = waitingMigration("res-vm1");

    HttpResponse<String> resolved = api.post("/api/v1/runs/" + runId + "/resolve", "{\"action\":\"keep-source\"}", null);

    assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(resolved.body());
    assertThat(body.get("runId").asText()).isEqualTo(runId);
    assertThat(body.get("action").asText()).isEqualTo("keep-source");
    assertThat(body.get("answer").asText()).isEqualTo("took KEEP_SOURCE: the run goes on with it now");
    // The workflow took it: it was waiting for exactly that and has now ended.
    temporal.newUntypedWorkflowStub(runId).getResult(10, TimeUnit.SECONDS, MigrateVmResult.class);
    assertThat(jdbc.sql("select outcome from audit_events where action = 'POST /api/v1/runs/{id}/resolve'"
            + " and target = :target").param("target", "/api/v1/runs/" + runId + "/resolve")
        .query(String.class).list()).containsExactly("accepted");
  }

  @Test
  void aResolutionTheRunRefusesIsAConflictInTheRunsWords() throws Exception {
    String runId = waitingMigration("res-vm2");

    HttpResponse<String> refused = api.post("/api/v1/runs/" + runId + "/resolve", "{\"action\":\"keep-target\"}", null);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(JSON.readTree(refused.body()).get("detail").asText()).isEqualTo(WaitingMigration.REFUSAL);
    // Still waiting: a refused update changes nothing, and a good one is taken afterwards.
    assertThat(api.post("/api/v1/runs/" + runId + "/resolve", "{\"action\":\"retry\"}", null).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aRunThatDoesNotWaitForAnOperatorIsAConflictAndAnUnknownOneIsNotFound() throws Exception {
    jdbc.sql("insert into runs (id, type, subject, state, phase, started_at, updated_at)"
        + " values ('migrate-res-busy-1', 'MigrateVm', 'res-busy', 'RUNNING', 'transfer', now(), now())").update();

    HttpResponse<String> running = api.post("/api/v1/runs/migrate-res-busy-1/resolve", "{\"action\":\"retry\"}", null);
    assertThat(running.statusCode()).isEqualTo(409);
    assertThat(running.body()).contains("is RUNNING, not waiting for an operator");

    assertThat(api.post("/api/v1/runs/no-such-run/resolve", "{\"action\":\"retry\"}", null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void aMissingOrUnknownActionIsNamedAndAViewerMayNotResolve() throws Exception {
    String runId = waitingMigration("res-vm3");
    String path = "/api/v1/runs/" + runId + "/resolve";

    HttpResponse<String> unknown = api.post(path, "{\"action\":\"teleport\"}", null);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(ApiClient.fields(unknown.body())).containsExactly("action");
    assertThat(unknown.body()).contains("'teleport' is not an action; send one of retry, abandon, keep-source, keep-target");
    assertThat(ApiClient.fields(api.post(path, "{}", null).body())).containsExactly("action");
    assertThat(ApiClient.fields(api.post(path, "", null).body())).containsExactly("action");
    assertThat(ApiClient.fields(api.post(path, "{\"resolution\":\"retry\"}", null).body())).containsExactly("resolution");

    HttpResponse<String> viewer = new ApiClient(port, tokenFor(Role.VIEWER)).post(path, "{\"action\":\"retry\"}", null);
    assertThat(viewer.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(api.get("/api/v1/runs/" + runId).body()).get("state").asText())
        .as("nothing reached the run").isEqualTo("ATTENTION");
  }

  @Test
  void aRunInAttentionIsResolvedNotCancelledAndKeepsOtherRunsOffItsVm() throws Exception {
    String runId = waitingMigration("res-vm4");
    jdbc.sql("insert into nodes (name, cpus, memory_mib, host_seen_at) values ('res-a', 4, 4096, now())"
        + " on conflict (name) do nothing").update();
    jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib)"
        + " values ('res-vm4', 'res-vm4', 'res-a', 'running', 1, 64, 1)").update();

    HttpResponse<String> cancel = api.post("/api/v1/runs/" + runId + "/cancel", "", null);
    assertThat(cancel.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(cancel.body()).get("detail").asText())
        .contains("waits for an operator").contains("POST /api/v1/runs/" + runId + "/resolve");

    HttpResponse<String> stop = api.post("/api/v1/vms/res-vm4/stop", "", null);
    assertThat(stop.statusCode()).as("the run is not over: the VM is still its").isEqualTo(409);
    assertThat(stop.body()).contains(runId).contains("resolve it first");

    JsonNode paths = JSON.readTree(api.get("/v3/api-docs").body()).get("paths");
    assertThat(paths.has("/api/v1/runs/{id}/resolve")).isTrue();
  }

  /** A stand-in migration of {@code vm}, waiting, with the run record that says ATTENTION. */
  private String waitingMigration(String vm) {
    String runId = "migrate-" + vm + "-" + UUID.randomUUID().toString().substring(0, 8);
    MigrateVmWorkflow workflow = temporal.newWorkflowStub(MigrateVmWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(runId).setTaskQueue(QUEUE).build());
    WorkflowClient.start(workflow::migrate, new MigrateVmRequest(vm, "res-a", "res-b", null, null));
    jdbc.sql("insert into runs (id, type, subject, state, phase, detail, started_at, updated_at)"
            + " values (:id, 'MigrateVm', :vm, 'ATTENTION', 'verify', 'ATTENTION: no copy is running', now(), now())")
        .param("id", runId).param("vm", vm).update();
    return runId;
  }
}
