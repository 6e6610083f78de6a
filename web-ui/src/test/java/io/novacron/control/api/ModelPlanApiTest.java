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

/** POST /api/v1/model-plans: the pure planner behind the API; nothing is started. */
class ModelPlanApiTest extends ControlPlaneTest {
  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  private ApiClient api;

  @BeforeEach
  void client() {
    // A plan changes nothing: a viewer may ask for one.
    api = new ApiClient(port, tokenFor(Role.VIEWER));
  }

  @Test
  void aModelThatFitsGetsItsLayoutStagesAndTheRejectedAlternatives() throws Exception {
    long runsBefore = runs();
    HttpResponse<String> response = plan("{\"model\":\"llama-3.1-70b\",\"dtype\":\"fp8\",\"nodes\":1,"
        + "\"gpusPerNode\":8,\"gpuMemoryGib\":80}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode plan = JSON.readTree(response.body());
    assertThat(plan.get("fits").asBoolean()).isTrue();
    assertThat(plan.get("tp").asInt() * plan.get("pp").asInt() * plan.get("replicas").asInt())
        .isLessThanOrEqualTo(8);
    assertThat(plan.get("gpusAvailable").asInt()).isEqualTo(8);
    assertThat(plan.get("stages").size()).isEqualTo(plan.get("pp").asInt());
    assertThat(plan.get("rejected").size()).as("the other TP/PP layouts are explained").isPositive();
    assertThat(plan.get("rejected").get(0).get("reason").asText()).isNotBlank();
    assertThat(runs()).as("a plan starts no run").isEqualTo(runsBefore);
  }

  @Test
  void aModelThatDoesNotFitSaysByHowMuch() throws Exception {
    JsonNode plan = JSON.readTree(plan("{\"model\":\"llama-3.1-405b\",\"dtype\":\"bf16\",\"nodes\":1,"
        + "\"gpusPerNode\":8,\"gpuMemoryGib\":80}").body());
    assertThat(plan.get("fits").asBoolean()).isFalse();
    assertThat(plan.get("shortfallBytesPerGpu").asLong()).isPositive();
    assertThat(plan.get("ranks").size()).isZero();
  }

  @Test
  void badFieldsAreNamed() throws Exception {
    assertBadRequest("{\"model\":\"gpt-9\",\"dtype\":\"fp4\",\"nodes\":0,\"gpusPerNode\":99,\"gpuMemoryGib\":-1}",
        "model", "dtype", "nodes", "gpusPerNode", "gpuMemoryGib");
    assertBadRequest("{\"model\":\"llama-3.1-8b\",\"dtype\":\"bf16\",\"nodes\":1,\"gpusPerNode\":1,"
        + "\"gpuMemoryGib\":24,\"utilizationCap\":1.5,\"contextLength\":0}", "utilizationCap", "contextLength");
    assertBadRequest("{\"model\":\"llama-3.1-8b\",\"gpus\":1}", "gpus");
    assertBadRequest("{}", "model", "dtype", "nodes", "gpusPerNode", "gpuMemoryGib");
  }

  private void assertBadRequest(String body, String... fields) throws Exception {
    HttpResponse<String> response = plan(body);
    assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(400);
    assertThat(ApiClient.fields(response.body())).as(body).containsExactlyInAnyOrder(fields);
  }

  private HttpResponse<String> plan(String body) throws Exception {
    return api.post("/api/v1/model-plans", body, null);
  }

  private long runs() {
    return jdbc.sql("select count(*) from runs").query(Long.class).single();
  }
}
