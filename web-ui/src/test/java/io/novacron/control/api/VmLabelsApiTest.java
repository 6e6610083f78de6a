package io.novacron.control.api;

import static io.novacron.control.api.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.novacron.control.ControlPlaneTest;
import io.novacron.control.TestDriverHostAgent;
import io.novacron.control.security.Role;
import io.temporal.client.WorkflowClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code PUT} and {@code PATCH /api/v1/vms/{name}/labels} and the list's label filter, on the real control plane. */
class VmLabelsApiTest extends ControlPlaneTest {
  private static final String NODE = "lbl-a";
  private static TestDriverHostAgent agent;

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired WorkflowClient temporal;
  private ApiClient api;
  private String token;

  @BeforeEach
  void vms() throws Exception {
    token = tokenFor(Role.OPERATOR);
    api = new ApiClient(port, token);
    jdbc.sql("insert into nodes (name, cpus, memory_mib, host_seen_at) values ('lbl-nowhere', 4, 4096, now())"
        + " on conflict (name) do nothing").update();
    for (String vm : List.of("lbl-vm1", "lbl-vm2")) {
      jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib) values (:n, :n,"
          + " 'lbl-nowhere', 'shutoff', 1, 64, 1) on conflict (name) do update set labels = '{}'").param("n", vm).update();
    }
  }

  @Test
  void putReplacesPatchMergesAndRemovesAndTheListFilters() throws Exception {
    // Values of this test's own: the context, and its VMs, are shared with the other tests.
    HttpResponse<String> put = send("PUT", "/api/v1/vms/lbl-vm1/labels", "{\"team\":\"lbl-web\",\"tier\":\"front\"}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(JSON.readTree(put.body()).get("labels").toString()).isEqualTo("{\"team\":\"lbl-web\",\"tier\":\"front\"}");
    send("PUT", "/api/v1/vms/lbl-vm2/labels", "{\"team\":\"lbl-db\"}");

    HttpResponse<String> patch = send("PATCH", "/api/v1/vms/lbl-vm1/labels", "{\"tier\":null,\"env\":\"prod\"}");
    assertThat(patch.statusCode()).as(patch.body()).isEqualTo(200);
    JsonNode labels = JSON.readTree(api.get("/api/v1/vms/lbl-vm1").body()).get("labels");
    assertThat(labels.toString()).isEqualTo("{\"env\":\"prod\",\"team\":\"lbl-web\"}");

    assertThat(names(api.get("/api/v1/vms?label=team=lbl-web"))).containsExactly("lbl-vm1");
    assertThat(names(api.get("/api/v1/vms?label=team=lbl-db"))).containsExactly("lbl-vm2");
    assertThat(names(api.get("/api/v1/vms?label=team=lbl-web&label=env=prod"))).containsExactly("lbl-vm1");
    assertThat(names(api.get("/api/v1/vms?label=team=lbl-web&label=env=dev"))).isEmpty();
    assertThat(names(api.get("/api/v1/vms?size=200"))).contains("lbl-vm1", "lbl-vm2");

    HttpResponse<String> cleared = send("PUT", "/api/v1/vms/lbl-vm1/labels", "{}");
    assertThat(JSON.readTree(cleared.body()).get("labels").size()).isZero();
  }

  @Test
  void badLabelsAreNamedWithTheRuleAndChangeNothing() throws Exception {
    send("PUT", "/api/v1/vms/lbl-vm1/labels", "{\"team\":\"web\"}");

    HttpResponse<String> badKey = send("PATCH", "/api/v1/vms/lbl-vm1/labels", "{\"Team\":\"x\",\"ok\":\"y\"}");
    assertThat(badKey.statusCode()).isEqualTo(400);
    assertThat(badKey.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(ApiClient.fields(badKey.body())).containsExactly("labels.Team");
    assertThat(badKey.body()).contains("a key is 1-63");
    HttpResponse<String> badValue = send("PUT", "/api/v1/vms/lbl-vm1/labels", "{\"team\":\"web app\"}");
    assertThat(ApiClient.fields(badValue.body())).containsExactly("labels.team");

    List<String> pairs = new ArrayList<>();
    IntStream.range(0, 32).forEach(i -> pairs.add("\"k" + i + "\":\"v\""));
    HttpResponse<String> full = send("PUT", "/api/v1/vms/lbl-vm1/labels", "{" + String.join(",", pairs) + "}");
    assertThat(full.statusCode()).as("32 is the limit, not past it").isEqualTo(200);
    HttpResponse<String> tooMany = send("PATCH", "/api/v1/vms/lbl-vm1/labels", "{\"one-more\":\"v\"}");
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(tooMany.body()).contains("at most 32 labels");
    assertThat(JSON.readTree(api.get("/api/v1/vms/lbl-vm1").body()).get("labels").size()).isEqualTo(32);

    assertThat(api.get("/api/v1/vms?label=team").statusCode()).isEqualTo(400);
    assertThat(send("PUT", "/api/v1/vms/nobody/labels", "{\"a\":\"b\"}").statusCode()).isEqualTo(404);
    HttpResponse<String> viewer = send("PUT", "/api/v1/vms/lbl-vm1/labels", "{}", tokenFor(Role.VIEWER));
    assertThat(viewer.statusCode()).isEqualTo(403);
  }

  @Test
  void aProvisionRequestMayCarryLabelsAndBadOnesAreRefusedBeforeARun() throws Exception {
    synchronized (VmLabelsApiTest.class) {
      if (agent == null) {
        agent = new TestDriverHostAgent(temporal, NODE, Files.createTempDirectory("novacron-labels-node"));
      }
    }
    for (int i = 0; i < 100 && jdbc.sql("select count(*) from nodes where name = :n").param("n", NODE)
        .query(Long.class).single() == 0; i++) {
      Thread.sleep(100);
    }
    HttpResponse<String> refused = api.post("/api/v1/vms", "{\"name\":\"lbl-vm3\",\"vcpus\":1,\"memoryMib\":64,"
        + "\"diskGib\":1,\"node\":\"" + NODE + "\",\"labels\":{\"team\":\"a b\"}}", null);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(ApiClient.fields(refused.body())).containsExactly("labels.team");

    HttpResponse<String> provisioned = api.post("/api/v1/vms", "{\"name\":\"lbl-vm3\",\"vcpus\":1,\"memoryMib\":64,"
        + "\"diskGib\":1,\"node\":\"" + NODE + "\",\"labels\":{\"team\":\"web\"}}", null);
    JsonNode run = api.awaitEnd(JSON.readTree(provisioned.body()).get("runId").asText());
    assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(JSON.readTree(api.get("/api/v1/vms/lbl-vm3").body()).get("labels").toString())
        .isEqualTo("{\"team\":\"web\"}");
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return send(method, path, body, token);
  }

  private HttpResponse<String> send(String method, String path, String body, String bearer) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + bearer)
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> names(HttpResponse<String> list) throws Exception {
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    JSON.readTree(list.body()).forEach(vm -> names.add(vm.get("name").asText()));
    return names;
  }
}
