package io.novacron.control.api;

import static io.novacron.control.api.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.novacron.control.ControlPlaneTest;
import io.novacron.control.security.Role;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Cordon, uncordon, drain and rebalance on the real control plane (PostgreSQL, Temporal's test
 * server, the REST API). The nodes are inventory rows: these tests check the API's contract and
 * placement, not the moves (DrainNodeWorkflowTest and the lab's DrainIT do those).
 */
class FleetApiTest extends ControlPlaneTest {
  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  private ApiClient api;
  private String token;

  @BeforeEach
  void inventory() throws Exception {
    token = tokenFor(Role.OPERATOR);
    api = new ApiClient(port, token);
    // Room for the VMs on fa-b and fa-c only in memory terms that nothing else in the shared context has.
    jdbc.sql("""
        insert into nodes (name, cpus, memory_mib, storage_free_gib, storage_total_gib, host_seen_at) values
          ('fa-a', 8, 16384, 100, 100, now()), ('fa-b', 8, 16384, 100, 100, now()),
          ('fa-c', 8, 16384, 100, 100, now()), ('fa-dead', 8, 16384, 100, 100, now() - interval '1 hour')
        on conflict (name) do update set host_seen_at = excluded.host_seen_at, cordon = null, labels = '{}'""").update();
    jdbc.sql("""
        insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib) values
          ('fa-vm1', 'fa-vm1', 'fa-a', 'running', 1, 128, 1), ('fa-off', 'fa-off', 'fa-a', 'shutoff', 1, 128, 1),
          ('fa-ghost', 'fa-ghost', 'fa-dead', 'running', 1, 128, 1)
        on conflict (name) do nothing""").update();
  }

  @Test
  void cordonIsIdempotentKeepsItsFirstReasonAndUncordonClearsIt() throws Exception {
    HttpResponse<String> cordoned = api.post("/api/v1/nodes/fa-c/cordon", "{\"reason\":\"kernel update\"}", null);
    assertThat(cordoned.statusCode()).as(cordoned.body()).isEqualTo(200);
    assertThat(JSON.readTree(cordoned.body()).get("cordon").asText()).isEqualTo("kernel update");
    JsonNode again = JSON.readTree(api.post("/api/v1/nodes/fa-c/cordon", "{\"reason\":\"other\"}", null).body());
    assertThat(again.get("cordon").asText()).isEqualTo("kernel update");
    assertThat(again.get("cordonedAt")).as(again.toString()).isNotNull();

    HttpResponse<String> uncordoned = api.post("/api/v1/nodes/fa-c/uncordon", "", null);
    assertThat(uncordoned.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(uncordoned.body()).has("cordon")).isFalse();
    assertThat(JSON.readTree(api.post("/api/v1/nodes/fa-c/uncordon", "", null).body()).has("cordon")).isFalse();
  }

  @Test
  void unknownNodesAreA404AndBadDrainOrdersA400NamingEachField() throws Exception {
    for (String path : new String[] {"cordon", "uncordon", "drain"}) {
      HttpResponse<String> response = api.post("/api/v1/nodes/fa-nowhere/" + path, "{}", null);
      assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(404);
      assertThat(response.body()).contains("fa-nowhere").contains("GET /api/v1/nodes");
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
          type -> assertThat(type).startsWith("application/problem+json"));
    }
    HttpResponse<String> bad = api.post("/api/v1/nodes/fa-a/drain",
        "{\"policy\":\"sometimes\",\"parallel\":0,\"options\":{\"bandwidthMiBps\":-1}}", null);
    assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
    assertThat(ApiClient.fields(bad.body())).containsExactlyInAnyOrder("policy", "parallel", "options.bandwidthMiBps");
    assertThat(bad.body()).contains("live-or-fail, live-then-cold or skip");
    HttpResponse<String> badRebalance = api.post("/api/v1/rebalance", "{\"maxMoves\":0}", null);
    assertThat(badRebalance.statusCode()).isEqualTo(400);
    assertThat(ApiClient.fields(badRebalance.body())).containsExactly("maxMoves");
    assertThat(jdbc.sql("select cordon from nodes where name = 'fa-a'").query(String.class).optional()).isEmpty();
  }

  @Test
  void aDryRunPlansEveryVmOfTheNodeNeverOntoACordonedOrDeadNodeAndChangesNothing() throws Exception {
    api.post("/api/v1/nodes/fa-b/cordon", "{}", null);
    try {
      HttpResponse<String> response = api.post("/api/v1/nodes/fa-a/drain", "{\"dryRun\":true}", null);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode plan = JSON.readTree(response.body());
      assertThat(plan.get("moves")).hasSize(1);
      JsonNode move = plan.get("moves").get(0);
      assertThat(move.get("vm").asText()).isEqualTo("fa-vm1");
      assertThat(move.get("target").asText()).isNotIn("fa-a", "fa-b", "fa-dead");
      assertThat(move.get("mode").asText()).isEqualTo("live");
      assertThat(move.get("policy").asText()).isEqualTo("live-or-fail");
      assertThat(plan.get("stays").get(0).get("vm").asText()).isEqualTo("fa-off");
      assertThat(plan.get("stays").get(0).get("reason").asText()).contains("shutoff");
      assertThat(plan.get("empties").asBoolean()).isFalse();
      assertThat(jdbc.sql("select cordon from nodes where name = 'fa-a'").query(String.class).optional()).isEmpty();
      assertThat(jdbc.sql("select count(*) from runs where subject = 'fa-a'").query(Long.class).single()).isZero();
    } finally {
      api.post("/api/v1/nodes/fa-b/uncordon", "", null);
    }
  }

  @Test
  void aMigrationToACordonedNodeIsRefusedNamingTheCordon() throws Exception {
    api.post("/api/v1/nodes/fa-c/cordon", "{\"reason\":\"fa disk swap\"}", null);
    try {
      HttpResponse<String> refused = api.post("/api/v1/migrations", "{\"vmName\":\"fa-vm1\",\"targetNode\":\"fa-c\"}",
          null);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
      assertThat(ApiClient.fields(refused.body())).containsExactly("targetNode");
      assertThat(refused.body()).contains("cordoned (fa disk swap)");
      // A provisioning pinned there fails in placement, naming the cordon.
      HttpResponse<String> pinned = api.post("/api/v1/vms",
          "{\"name\":\"fa-new\",\"vcpus\":1,\"memoryMib\":64,\"diskGib\":1,\"node\":\"fa-c\"}", null);
      assertThat(pinned.statusCode()).as(pinned.body()).isEqualTo(202);
      JsonNode ended = api.awaitEnd(JSON.readTree(pinned.body()).get("runId").asText());
      assertThat(ended.get("state").asText()).isEqualTo("FAILED");
      assertThat(ended.get("detail").asText()).contains("cordoned (fa disk swap)");
    } finally {
      api.post("/api/v1/nodes/fa-c/uncordon", "", null);
    }
  }

  @Test
  void aSilentNodeIsShownDownAndItsVmsStateUnknown() throws Exception {
    JsonNode node = JSON.readTree(api.get("/api/v1/nodes/fa-dead").body());
    assertThat(node.get("down").asBoolean()).isTrue();
    JsonNode vm = JSON.readTree(api.get("/api/v1/vms/fa-ghost").body());
    assertThat(vm.get("state").asText()).isEqualTo("unknown");
    assertThat(vm.get("nodeDown").asBoolean()).isTrue();
    assertThat(vm.get("lastKnownState").asText()).isEqualTo("running");
    assertThat(JSON.readTree(api.get("/api/v1/nodes/fa-a").body()).get("down").asBoolean()).isFalse();

    // Runs pinned to it fail fast, saying why, instead of waiting for an agent that does not answer.
    HttpResponse<String> stop = api.post("/api/v1/vms/fa-ghost/stop", "{}", null);
    assertThat(stop.statusCode()).as(stop.body()).isEqualTo(409);
    assertThat(stop.body()).contains("fa-dead, which is down");
    HttpResponse<String> move = api.post("/api/v1/migrations", "{\"vmName\":\"fa-ghost\",\"targetNode\":\"fa-a\"}",
        null);
    assertThat(move.statusCode()).as(move.body()).isEqualTo(400);
    assertThat(move.body()).contains("which is down");
  }

  @Test
  void aRebalanceIsADryRunUnlessToldOtherwise() throws Exception {
    HttpResponse<String> response = api.post("/api/v1/rebalance", "{}", null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode plan = JSON.readTree(response.body());
    assertThat(plan.has("moves")).isTrue();
    assertThat(plan.get("summary").asText()).isNotBlank();
    assertThat(jdbc.sql("select count(*) from runs where type = 'Rebalance'").query(Long.class).single()).isZero();
  }

  @Test
  void theOpenApiDocumentListsTheFleetEndpoints() throws Exception {
    JsonNode paths = JSON.readTree(api.get("/v3/api-docs").body()).get("paths");
    for (String path : new String[] {"/api/v1/nodes/{name}/cordon", "/api/v1/nodes/{name}/uncordon",
        "/api/v1/nodes/{name}/drain", "/api/v1/rebalance", "/api/v1/nodes/{name}"}) {
      assertThat(paths.has(path)).as(path).isTrue();
    }
  }

  @Test
  void nodeLabelsAreSetMergedAndAskedForByAVmsNodeSelector() throws Exception {
    HttpResponse<String> put = send("PUT", "/api/v1/nodes/fa-b/labels", "{\"zone\":\"fa-rack\",\"disk\":\"ssd\"}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    HttpResponse<String> patch = send("PATCH", "/api/v1/nodes/fa-b/labels", "{\"disk\":null}");
    assertThat(JSON.readTree(patch.body()).get("labels").toString()).isEqualTo("{\"zone\":\"fa-rack\"}");
    HttpResponse<String> bad = send("PATCH", "/api/v1/nodes/fa-b/labels", "{\"Bad Key\":\"x\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(send("PUT", "/api/v1/nodes/fa-nowhere/labels", "{}").statusCode()).isEqualTo(404);

    // A VM that asks for zone=fa-rack is planned onto fa-b only.
    jdbc.sql("update vms set labels = '{\"node.novacron.io/zone\":\"fa-rack\"}' where name = 'fa-vm1'").update();
    try {
      JsonNode plan = JSON.readTree(api.post("/api/v1/nodes/fa-a/drain", "{\"dryRun\":true}", null).body());
      assertThat(plan.get("moves").get(0).get("target").asText()).isEqualTo("fa-b");
      send("PUT", "/api/v1/nodes/fa-b/labels", "{}");
      JsonNode none = JSON.readTree(api.post("/api/v1/nodes/fa-a/drain", "{\"dryRun\":true}", null).body());
      assertThat(none.get("moves")).isEmpty();
      assertThat(none.get("stays").toString()).contains("node selector node.novacron.io/zone=fa-rack");
    } finally {
      jdbc.sql("update vms set labels = '{}' where name = 'fa-vm1'").update();
      send("PUT", "/api/v1/nodes/fa-b/labels", "{}");
    }
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
