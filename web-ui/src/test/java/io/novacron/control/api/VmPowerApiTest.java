package io.novacron.control.api;

import static io.novacron.control.api.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.novacron.control.ControlPlaneTest;
import io.novacron.control.TestDriverHostAgent;
import io.novacron.control.security.Role;
import io.novacron.host.libvirt.LibvirtSession;
import io.temporal.client.WorkflowClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code POST /api/v1/vms/{name}/start} and {@code /stop} on the real control plane, with the host
 * agent's own activities on libvirt's test driver: real domains change state, no guest boots.
 */
class VmPowerApiTest extends ControlPlaneTest {
  private static final String NODE = "pwr-a";
  private static TestDriverHostAgent agent;

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired WorkflowClient temporal;
  private ApiClient api;

  @BeforeEach
  void agent() throws Exception {
    api = new ApiClient(port, tokenFor(Role.OPERATOR));
    synchronized (VmPowerApiTest.class) {
      if (agent == null) {
        // Lives as long as the test JVM, like the cached context whose Temporal it polls.
        agent = new TestDriverHostAgent(temporal, NODE, Files.createTempDirectory("novacron-power-node"));
      }
    }
    for (int i = 0; i < 100 && jdbc.sql("select count(*) from nodes where name = :n").param("n", NODE)
        .query(Long.class).single() == 0; i++) {
      Thread.sleep(100);
    }
  }

  @Test
  void anOperatorStopsAndStartsAVmAndTheInventoryFollows() throws Exception {
    HttpResponse<String> provisioned = api.post("/api/v1/vms",
        "{\"name\":\"pwr-vm1\",\"vcpus\":1,\"memoryMib\":64,\"diskGib\":1,\"node\":\"" + NODE + "\"}", null);
    assertThat(provisioned.statusCode()).as(provisioned.body()).isEqualTo(202);
    assertThat(api.awaitEnd(runId(provisioned)).get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(vm("pwr-vm1").get("state").asText()).isEqualTo("running");

    HttpResponse<String> stop = api.post("/api/v1/vms/pwr-vm1/stop", "{\"graceSeconds\":5}", null);
    assertThat(stop.statusCode()).as(stop.body()).isEqualTo(202);
    String stopRun = runId(stop);
    assertThat(stopRun).startsWith("power-pwr-vm1-");
    assertThat(stop.headers().firstValue("Location")).hasValue("/api/v1/runs/" + stopRun);
    JsonNode stopped = api.awaitEnd(stopRun);
    assertThat(stopped.get("state").asText()).as(stopped.toString()).isEqualTo("SUCCEEDED");
    assertThat(stopped.get("type").asText()).isEqualTo("VmPower");
    assertThat(stopped.get("node").asText()).isEqualTo(NODE);
    assertThat(vm("pwr-vm1").get("state").asText()).isEqualTo("shutoff");
    assertThat(vm("pwr-vm1").get("runId").asText()).as("the VM's last run").isEqualTo(stopRun);

    HttpResponse<String> start = api.post("/api/v1/vms/pwr-vm1/start", "", null);
    assertThat(start.statusCode()).as(start.body()).isEqualTo(202);
    assertThat(api.awaitEnd(runId(start)).get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(vm("pwr-vm1").get("state").asText()).isEqualTo("running");
    assertThat(jdbc.sql("select phase from run_events where run_id = :id order by id")
        .param("id", runId(start)).query(String.class).list())
        .containsSubsequence("check", "start", "verify", "record", "succeeded");
  }

  @Test
  void aVmStoppedAndThenUndefinedOutsideNovaCronIsFollowedByTheInventory() throws Exception {
    HttpResponse<String> provisioned = api.post("/api/v1/vms",
        "{\"name\":\"pwr-vm5\",\"vcpus\":1,\"memoryMib\":64,\"diskGib\":1,\"node\":\"" + NODE + "\"}", null);
    assertThat(api.awaitEnd(runId(provisioned)).get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(vm("pwr-vm5").get("origin").asText()).isEqualTo("novacron");

    // What `virsh destroy pwr-vm5` does, behind NovaCron's back.
    try (LibvirtSession libvirt = new LibvirtSession("test:///default")) {
      libvirt.call(c -> {
        c.domainLookupByName("pwr-vm5").destroy();
        return null;
      });
      agent.announceNow();
      JsonNode stopped = awaitVmState("pwr-vm5", "shutoff");
      assertThat(stopped.get("drift").asText()).isEqualTo("pwr-vm5: running -> shutoff on " + NODE + " (outside NovaCron)");
      assertThat(stopped.get("driftAt").asText()).isNotEmpty();

      libvirt.call(c -> {
        c.domainLookupByName("pwr-vm5").undefine();
        return null;
      });
      agent.announceNow();
    }
    JsonNode missing = awaitVmState("pwr-vm5", "missing");
    assertThat(missing.get("drift").asText()).startsWith("pwr-vm5: shutoff -> missing");
    assertThat(jdbc.sql("select count(*) from reservations where vm_name = 'pwr-vm5'").query(Long.class).single())
        .as("a VM that is gone holds no capacity").isZero();
    JsonNode listed = JSON.readTree(api.get("/api/v1/vms?size=200").body());
    assertThat(listed.findValues("name").stream().map(JsonNode::asText)).contains("pwr-vm5");
    HttpResponse<String> start = api.post("/api/v1/vms/pwr-vm5/start", "", null);
    assertThat(start.statusCode()).as("nothing to start").isEqualTo(409);
    assertThat(start.body()).contains("'pwr-vm5' is missing");
  }

  @Test
  void badRequestsAreRefusedNamingTheFieldAndStartNothing() throws Exception {
    insertVm("pwr-vm2");
    HttpResponse<String> unknown = api.post("/api/v1/vms/nobody/stop", "", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));

    HttpResponse<String> grace = api.post("/api/v1/vms/pwr-vm2/stop", "{\"graceSeconds\":-1}", null);
    assertThat(grace.statusCode()).isEqualTo(400);
    assertThat(ApiClient.fields(grace.body())).containsExactly("graceSeconds");
    HttpResponse<String> typo = api.post("/api/v1/vms/pwr-vm2/stop", "{\"grace\":10}", null);
    assertThat(typo.statusCode()).isEqualTo(400);
    assertThat(ApiClient.fields(typo.body())).containsExactly("grace");
    assertThat(ApiClient.fields(api.post("/api/v1/vms/pwr-vm2/start", "", "bad key").body()))
        .containsExactly("Idempotency-Key");

    HttpResponse<String> viewer = new ApiClient(port, tokenFor(Role.VIEWER)).post("/api/v1/vms/pwr-vm2/stop", "", null);
    assertThat(viewer.statusCode()).isEqualTo(403);
    assertThat(runsOf("pwr-vm2")).as("nothing was started").isZero();
    JsonNode paths = JSON.readTree(api.get("/v3/api-docs").body()).get("paths");
    assertThat(paths.has("/api/v1/vms/{name}/start") && paths.has("/api/v1/vms/{name}/stop"))
        .as("the OpenAPI document lists start and stop").isTrue();
  }

  @Test
  void aVmThatAnotherRunIsChangingIsAConflict() throws Exception {
    insertVm("pwr-vm3");
    jdbc.sql("insert into runs (id, type, subject, state, phase, started_at, updated_at)"
        + " values ('migrate-pwr-vm3-busy', 'MigrateVm', 'pwr-vm3', 'QUEUED', 'queued', now(), now())").update();

    HttpResponse<String> refused = api.post("/api/v1/vms/pwr-vm3/stop", "", null);

    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("migrate-pwr-vm3-busy");
    assertThat(runsOf("pwr-vm3")).as("only the migration's").isEqualTo(1);
  }

  @Test
  void aRetryWithTheSameIdempotencyKeyAnswersWithTheSameRun() throws Exception {
    insertVm("pwr-vm4");
    HttpResponse<String> first = api.post("/api/v1/vms/pwr-vm4/stop", "{\"graceSeconds\":0}", "pwr-key-1");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    String runId = runId(first);
    awaitRecord(runId);

    HttpResponse<String> retry = api.post("/api/v1/vms/pwr-vm4/stop", "{\"graceSeconds\":0}", "pwr-key-1");
    assertThat(retry.statusCode()).isEqualTo(202);
    assertThat(runId(retry)).isEqualTo(runId);
    HttpResponse<String> other = api.post("/api/v1/vms/pwr-vm4/start", "", "pwr-key-1");
    assertThat(other.statusCode()).as("the same key for another action").isEqualTo(422);
    assertThat(runsOf("pwr-vm4")).isEqualTo(1);
    api.post("/api/v1/runs/" + runId + "/cancel", "", null);
  }

  /** A VM the inventory knows on a node no agent polls: its runs fail, but only after starting. */
  private void insertVm(String name) {
    jdbc.sql("insert into nodes (name, cpus, memory_mib, host_seen_at) values ('pwr-nowhere', 4, 4096, now())"
        + " on conflict (name) do nothing").update();
    jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib) values (:name, :name,"
        + " 'pwr-nowhere', 'running', 1, 64, 1) on conflict (name) do nothing").param("name", name).update();
  }

  private long runsOf(String subject) {
    return jdbc.sql("select count(*) from runs where subject = :s").param("s", subject).query(Long.class).single();
  }

  private JsonNode vm(String name) throws Exception {
    return JSON.readTree(api.get("/api/v1/vms/" + name).body());
  }

  /** The VM once the inventory has it in {@code state} (announcements are recorded asynchronously). */
  private JsonNode awaitVmState(String name, String state) throws Exception {
    JsonNode vm = null;
    for (int i = 0; i < 150; i++) {
      vm = vm(name);
      if (state.equals(vm.path("state").asText())) {
        return vm;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(name + " did not become " + state + ": " + vm);
  }

  private static String runId(HttpResponse<String> accepted) throws Exception {
    return JSON.readTree(accepted.body()).get("runId").asText();
  }

  private void awaitRecord(String runId) throws Exception {
    for (int i = 0; i < 100 && runsOf(runId.substring("power-".length(), runId.lastIndexOf('-'))) == 0; i++) {
      Thread.sleep(100);
    }
  }
}
