package io.novacron.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.control.ControlPlaneTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The REST API on the real control plane. Bad input must be a 4xx naming the field, never a 5xx,
 * and must leave nothing behind.
 */
class VmApiTest extends ControlPlaneTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;

  @BeforeEach
  void inventory() {
    jdbc.sql("insert into nodes (name, cpus, memory_mib, host_seen_at) values ('node-a', 8, 16384, now()) "
        + "on conflict (name) do nothing").update();
    jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib) "
        + "values ('taken', 'u-1', 'node-a', 'running', 1, 128, 1) on conflict (name) do nothing").update();
  }

  @Test
  void aValidRequestIsAcceptedWithItsRunAndTheRunCanBeRead() throws Exception {
    HttpResponse<String> accepted = post("{\"name\":\"web1\",\"vcpus\":1,\"memoryMib\":128,\"diskGib\":1,\"node\":\"node-a\"}");
    assertThat(accepted.statusCode()).isEqualTo(202);
    String runId = JSON.readTree(accepted.body()).get("runId").asText();
    assertThat(runId).startsWith("provision-web1-");
    assertThat(accepted.headers().firstValue("Location")).hasValue("/api/v1/runs/" + runId);

    HttpResponse<String> run = get("/api/v1/runs/" + runId);
    assertThat(run.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(run.body());
    assertThat(body.get("id").asText()).isEqualTo(runId);
    assertThat(body.get("state").asText()).isEqualTo("RUNNING");
    assertThat(body.get("type").asText()).isEqualTo("ProvisionVm");
  }

  @Test
  void outOfRangeAndMalformedFieldsAreNamed() throws Exception {
    assertBadRequest("{\"name\":\"Bad Name!\",\"vcpus\":0,\"memoryMib\":128,\"diskGib\":1}", "name", "vcpus");
    assertBadRequest("{\"name\":\"ok\",\"vcpus\":1,\"memoryMib\":1,\"diskGib\":100000}", "memoryMib", "diskGib");
    assertBadRequest("{\"name\":\"ok\",\"vcpus\":\"two\",\"memoryMib\":128,\"diskGib\":1}", "vcpus");
    assertBadRequest("{\"name\":\"ok\",\"vcpus\":1,\"memoryMib\":128,\"diskGib\":1,\"ram\":4}", "ram");
    assertBadRequest("{\"name\":\"ok\",\"vcpus\":1,\"memoryMib\":128,\"diskGib\":1,\"image\":\"../etc\"}", "image");
    assertBadRequest("{bad json", "body");
    assertBadRequest("", "body");
  }

  @Test
  void anUnknownNodeIsRefusedNamingTheField() throws Exception {
    JsonNode problem = assertBadRequest("{\"name\":\"x1\",\"vcpus\":1,\"memoryMib\":128,\"diskGib\":1,\"node\":\"nowhere\"}", "node");
    assertThat(problem.get("detail").asText()).contains("'nowhere' is not a known node");
    assertThat(jdbc.sql("select count(*) from runs where subject = 'x1'").query(Long.class).single()).isZero();
  }

  @Test
  void anExistingVmNameIsAConflict() throws Exception {
    HttpResponse<String> response = post("{\"name\":\"taken\",\"vcpus\":1,\"memoryMib\":128,\"diskGib\":1}");
    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(response.body()).contains("a VM named 'taken' already exists");
  }

  @Test
  void anUnknownRunIs404AndPagingIsChecked() throws Exception {
    assertThat(get("/api/v1/runs/no-such-run").statusCode()).isEqualTo(404);
    HttpResponse<String> page = get("/api/v1/runs?size=0");
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(fields(JSON.readTree(page.body()))).containsExactly("size");
    assertThat(get("/api/v1/runs?page=0&size=5").statusCode()).isEqualTo(200);
  }

  @Test
  void nodesAndVmsAreListed() throws Exception {
    assertThat(get("/api/v1/nodes").body()).contains("\"name\":\"node-a\"");
    assertThat(get("/api/v1/vms").body()).contains("\"name\":\"taken\"");
    assertThat(get("/api/v1/vms/absent").statusCode()).isEqualTo(404);
  }

  @Test
  void prometheusMetricsAreServed() throws Exception {
    HttpResponse<String> metrics = get("/actuator/prometheus");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("jvm_memory_used_bytes");
  }

  private JsonNode assertBadRequest(String body, String... expectedFields) throws Exception {
    HttpResponse<String> response = post(body);
    assertThat(response.statusCode()).as(body).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    JsonNode problem = JSON.readTree(response.body());
    assertThat(fields(problem)).as(body).containsExactlyInAnyOrder(expectedFields);
    return problem;
  }

  private static List<String> fields(JsonNode problem) {
    List<String> names = new ArrayList<>();
    problem.get("errors").forEach(error -> names.add(error.get("field").asText()));
    return names;
  }

  private HttpResponse<String> post(String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/vms"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
