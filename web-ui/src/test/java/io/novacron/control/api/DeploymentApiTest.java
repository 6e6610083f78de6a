package io.novacron.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.control.ControlPlaneTest;
import io.novacron.workflows.model.deploy.DeployModelWorkflow;
import io.novacron.workflows.run.RunPhaseChange;
import io.novacron.workflows.run.RunRecordActivities;
import io.novacron.workflows.run.RunStarted;
import io.novacron.workflows.run.RunState;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** POST /api/v1/deployments on the real control plane: 400 naming fields, 202 with a run, idempotent. */
class DeploymentApiTest extends ControlPlaneTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VALID = "{\"name\":\"tiny\",\"sourceNode\":\"dgpu-a\",\"checkpoint\":\"checkpoints/tiny\","
      + "\"nodes\":[\"dgpu-a\",\"dgpu-b\"],\"serving\":{\"runtime\":\"REFERENCE\",\"port\":0},\"simulatedGpuMemoryGib\":80}";

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired RunRecordActivities records;

  ApiClient api;

  @BeforeEach
  void gpuNodes() {
    api = new ApiClient(port, tokenFor(io.novacron.control.security.Role.OPERATOR));
    for (String node : new String[] {"dgpu-a", "dgpu-b"}) {
      jdbc.sql("insert into nodes (name, cpus, memory_mib, host_seen_at) values (:n, 8, 16384, now()) "
          + "on conflict (name) do nothing").param("n", node).update();
    }
  }

  @Test
  void bad_fields_are_each_named_with_400() throws Exception {
    HttpResponse<String> bad = post("{\"name\":\"Tiny\",\"sourceNode\":\"dgpu-a\",\"nodes\":[],"
        + "\"serving\":{\"runtime\":\"VLLM\",\"commandTemplate\":\"vllm serve {dri}\"},\"simulatedGpuMemoryGib\":80}", null);

    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("name").contains("checkpoint").contains("nodes")
        .contains("serving.commandTemplate").contains("simulatedGpuMemoryGib");
    assertThat(post("", null).statusCode()).isEqualTo(400);
  }

  @Test
  void an_unknown_format_is_a_400_naming_the_field_and_the_allowed_values() throws Exception {
    HttpResponse<String> bad = post(VALID.substring(0, VALID.length() - 1) + ",\"format\":\"gguf\"}", null);

    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(bad.body()).contains("\"format\"").contains("novacron").contains("vllm-sharded-state").contains("gguf");
    // A template that would make the loader read the files as NovaCron's is named too.
    HttpResponse<String> template = post(VALID.replace("\"port\":0}", "\"port\":0,\"commandTemplate\":"
        + "\"{java} {loader} --dir={dir} --ranks={ranks} --port={port}\"},\"format\":\"vllm-sharded-state\""), null);
    assertThat(template.statusCode()).isEqualTo(400);
    assertThat(template.body()).contains("serving.commandTemplate").contains("--format={format}");
  }

  @Test
  void the_openapi_document_lists_the_formats() throws Exception {
    var format = JSON.readTree(api.get("/v3/api-docs").body())
        .at("/components/schemas/DeployModelRequest/properties/format");

    assertThat(format.path("enum").toString()).isEqualTo("[\"novacron\",\"vllm-sharded-state\"]");
    assertThat(format.path("description").asText()).contains("sharded_state");
  }

  @Test
  void an_unknown_node_is_a_400_naming_it() throws Exception {
    HttpResponse<String> bad = post(VALID.replace("\"dgpu-b\"]", "\"nowhere\"]"), null);

    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("nodes[1]").contains("'nowhere' is not a known node");
  }

  @Test
  void a_valid_request_starts_a_run_once_per_idempotency_key() throws Exception {
    HttpResponse<String> first = post(VALID, "deploy-key-1");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    String runId = JSON.readTree(first.body()).get("runId").asText();
    assertThat(runId).startsWith("deploy-tiny-");
    assertThat(first.headers().firstValue("Location")).hasValue("/api/v1/runs/" + runId);
    awaitRecord(runId);

    HttpResponse<String> retry = post(VALID, "deploy-key-1");
    assertThat(retry.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(retry.body()).get("runId").asText()).isEqualTo(runId);
    assertThat(post(VALID.replace("\"port\":0", "\"port\":9000"), "deploy-key-1").statusCode()).isEqualTo(422);
    assertThat(post(VALID, "has space").statusCode()).isEqualTo(400);
    // No agent polls dgpu-a here, so the run stays RUNNING in its check phase: a second run is a 409.
    HttpResponse<String> second = post(VALID, "deploy-key-2");
    assertThat(second.statusCode()).isEqualTo(409);
    assertThat(second.body()).contains("is running as run " + runId);
    assertThat(api.post("/api/v1/deployments/none/stop", "", null).statusCode()).isEqualTo(404);
  }

  /**
   * Model load time is measured where the run's record enters {@code serving} (DeployModelWorkflowTest
   * shows the workflow enters it once every node serves): the record activities are driven directly,
   * as the workflow's local activities call them, since no GPU agent runs here.
   */
  @Test
  void the_time_from_launch_to_serving_is_measured_once_as_model_load() throws Exception {
    long launched = System.currentTimeMillis() - 120_000;
    String runId = "deploy-load-" + launched;
    records.started(new RunStarted(runId, DeployModelWorkflow.TYPE, "load",
        "{\"name\":\"load\",\"serving\":{\"runtime\":\"REFERENCE\",\"port\":0}}", launched));
    records.phase(new RunPhaseChange(runId, "distribute", RunState.RUNNING, null, "dgpu-a", launched + 1_000));
    RunPhaseChange serving = new RunPhaseChange(runId, "serving", RunState.RUNNING, null, "served", launched + 75_500);
    records.phase(serving);
    records.phase(serving); // a retried local activity: measured once

    String metrics = api.get("/actuator/prometheus").body();
    assertThat(metrics).contains("novacron_model_load_seconds_count{runtime=\"reference\"} 1")
        .contains("novacron_model_load_seconds_sum{runtime=\"reference\"} 75.5");
  }

  private void awaitRecord(String runId) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      if (jdbc.sql("select count(*) from runs where id = :id").param("id", runId).query(Long.class).single() > 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("run " + runId + " never recorded itself");
  }

  private HttpResponse<String> post(String body, String key) throws Exception {
    return api.post("/api/v1/deployments", body, key);
  }
}
