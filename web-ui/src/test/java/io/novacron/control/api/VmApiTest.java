package io.novacron.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.novacron.control.ControlPlaneTest;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.host.DiskInfo;
import io.novacron.workflows.host.HostActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import java.util.concurrent.atomic.AtomicBoolean;
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
  /** Launching and cancelling need an operator. */
  private String token;

  @BeforeEach
  void inventory() {
    token = tokenFor(io.novacron.control.security.Role.OPERATOR);
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
  void aRetryWithTheSameIdempotencyKeyAnswersWithTheSameRunAndStartsNothing() throws Exception {
    String body = "{\"name\":\"idem1\",\"vcpus\":1,\"memoryMib\":128,\"diskGib\":1,\"node\":\"node-a\"}";
    HttpResponse<String> first = post(body, "key-123");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    String runId = JSON.readTree(first.body()).get("runId").asText();
    awaitRecord(runId);

    HttpResponse<String> retry = post(body, "key-123");
    assertThat(retry.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(retry.body()).get("runId").asText()).isEqualTo(runId);
    assertThat(jdbc.sql("select count(*) from runs where subject = 'idem1'").query(Long.class).single()).isEqualTo(1);

    HttpResponse<String> other = post(body.replace("\"vcpus\":1", "\"vcpus\":2"), "key-123");
    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(other.body()).contains("was used for a different request");

    assertThat(post(body, "has space").statusCode()).isEqualTo(400);
  }

  @Test
  void aRunningRunCanBeCancelledOnceAndEndsCancelled() throws Exception {
    startSlowHostAgent();
    HttpResponse<String> accepted = post("{\"name\":\"cancel1\",\"vcpus\":1,\"memoryMib\":128,\"diskGib\":1,\"node\":\"slow\"}");
    String runId = JSON.readTree(accepted.body()).get("runId").asText();
    for (int i = 0; i < 100 && !diskRequested.get(); i++) {
      Thread.sleep(100);
    }
    assertThat(diskRequested).as("the run reached the host").isTrue();
    assertThat(postPath("/api/v1/runs/" + runId + "/cancel").statusCode()).isEqualTo(202);
    JsonNode run = null;
    for (int i = 0; i < 300; i++) {
      run = JSON.readTree(get("/api/v1/runs/" + runId).body());
      if (!run.get("state").asText().equals("RUNNING")) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("CANCELLED");
    assertThat(run.get("timeline").findValuesAsText("state")).as("the cancel request is in the timeline")
        .contains("CANCEL_REQUESTED");
    assertThat(postPath("/api/v1/runs/" + runId + "/cancel").statusCode()).isEqualTo(409);
    assertThat(postPath("/api/v1/runs/no-such-run/cancel").statusCode()).isEqualTo(404);
    assertThat(jdbc.sql("select count(*) from reservations where vm_name = 'cancel1'").query(Long.class).single())
        .as("the reservation was released").isZero();
    assertThat(diskDeleted).as("the disk step was compensated").isTrue();
  }

  @Autowired WorkflowClient temporal;
  private static final AtomicBoolean diskRequested = new AtomicBoolean();
  private static final AtomicBoolean diskDeleted = new AtomicBoolean();
  private static WorkerFactory slowAgent;

  /**
   * A stand-in host agent for node "slow" whose disk creation takes a minute: long enough to cancel
   * the run in the middle of a host step. (The real agent is tested against libvirt elsewhere.)
   */
  private synchronized void startSlowHostAgent() {
    if (slowAgent != null) {
      return;
    }
    jdbc.sql("insert into nodes (name, cpus, memory_mib, storage_free_gib, host_seen_at) "
        + "values ('slow', 4, 4096, 100, now())").update();
    HostActivities host = mock(HostActivities.class, withSettings().withoutAnnotations());
    when(host.createDisk(any())).thenAnswer(call -> {
      diskRequested.set(true);
      Thread.sleep(60_000);
      return new DiskInfo("/nowhere", "qcow2", 1);
    });
    doAnswer(call -> {
      diskDeleted.set(true);
      return null;
    }).when(host).deleteDisk(any());
    slowAgent = WorkerFactory.newInstance(temporal);
    slowAgent.newWorker(TaskQueues.host("slow")).registerActivitiesImplementations(host);
    slowAgent.start();
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
  void badNetworksAndCloudInitAreNamedDownToTheField() throws Exception {
    String vm = "\"name\":\"ci1\",\"vcpus\":1,\"memoryMib\":128,\"diskGib\":1,";
    assertBadRequest("{" + vm + "\"networks\":[\"lab\",\"no/slash\"]}", "networks[1]");
    JsonNode yaml = assertBadRequest("{" + vm + "\"cloudInit\":{\"userData\":\"#cloud-config\\nusers: [a\"}}",
        "cloudInit.userData");
    assertThat(yaml.get("detail").asText()).contains("line");
    assertBadRequest("{" + vm + "\"cloudInit\":{\"sshKeys\":[\"ssh-ed25519 notakey\"],\"hostname\":\"-bad-\"}}",
        "cloudInit.sshKeys[0]", "cloudInit.hostname");
    assertBadRequest("{" + vm + "\"cloudInit\":{\"userData\":\"#cloud-config\\n" + "x".repeat(70_000) + "\"}}",
        "cloudInit.userData");
    assertThat(jdbc.sql("select count(*) from runs where subject = 'ci1'").query(Long.class).single()).isZero();
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
    assertThat(get("/api/v1/nodes?size=200").body()).contains("\"name\":\"node-a\"");
    assertThat(get("/api/v1/vms?size=200").body()).contains("\"name\":\"taken\"");
    JsonNode taken = JSON.readTree(get("/api/v1/vms/taken").body());
    assertThat(taken.get("origin").asText()).as("made by a run, not discovered").isEqualTo("novacron");
    assertThat(taken.has("drift")).as("no drift found, none served").isFalse();
    assertThat(get("/api/v1/vms/absent").statusCode()).isEqualTo(404);
  }

  @Test
  void theOpenApiDocumentDescribesTheApi() throws Exception {
    HttpResponse<String> doc = get("/v3/api-docs");
    assertThat(doc.statusCode()).isEqualTo(200);
    JsonNode paths = JSON.readTree(doc.body()).get("paths");
    assertThat(paths.has("/api/v1/vms")).isTrue();
    assertThat(paths.has("/api/v1/runs/{id}")).isTrue();
    assertThat(paths.has("/api/v1/runs/{id}/cancel")).isTrue();
  }

  @Test
  void prometheusMetricsAreServed() throws Exception {
    HttpResponse<String> metrics = get("/actuator/prometheus");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    // Runs launched by the other tests of this class share the context; at least this one counts.
    post("{\"name\":\"metric1\",\"vcpus\":1,\"memoryMib\":128,\"diskGib\":1}");
    assertThat(get("/actuator/prometheus").body()).contains("novacron_runs_started_total{type=\"ProvisionVm\"}");
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
    return post(body, null);
  }

  private HttpResponse<String> post(String body, String idempotencyKey) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/vms"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postPath(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Waits until the workflow has written its run record (its first task). */
  private void awaitRecord(String runId) throws Exception {
    for (int i = 0; i < 100; i++) {
      if (jdbc.sql("select count(*) from runs where id = :id").param("id", runId).query(Long.class).single() > 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("run " + runId + " was never recorded");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
