package io.novacron.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.novacron.control.ControlPlaneTest;
import io.novacron.control.security.Role;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The API's contract on the real control plane: /v3/api-docs documents every code an operation
 * answers with the Problem schema and types as served, and every error, those the container
 * answers included, is problem+json naming the field or parameter.
 */
class ApiContractTest extends ControlPlaneTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;
  ApiClient viewer;
  ApiClient operator;
  JsonNode docs;

  @BeforeEach
  void clients() throws Exception {
    viewer = new ApiClient(port, tokenFor(Role.VIEWER));
    operator = new ApiClient(port, tokenFor(Role.OPERATOR));
    String body = send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET()).body();
    // For a reader of a failure: the document as served.
    java.nio.file.Files.writeString(java.nio.file.Path.of("target/api-docs.json"), body);
    docs = ApiClient.JSON.readTree(body);
  }

  @Test
  void the_document_is_the_rest_api_only() {
    List<String> paths = new ArrayList<>();
    docs.get("paths").fieldNames().forEachRemaining(paths::add);

    assertThat(paths).isNotEmpty().allSatisfy(path -> assertThat(path).startsWith("/api/v1/"));
    assertThat(paths).noneMatch(path -> path.contains("/connect"));
  }

  @Test
  void every_operation_documents_the_codes_of_its_kind_as_problem_json() {
    List<String> checked = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = docs.get("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        String name = op.getKey().toUpperCase() + " " + path.getKey();
        JsonNode responses = op.getValue().get("responses");
        List<String> expected = new ArrayList<>(List.of("400", "401", "403", "503"));
        if (path.getKey().contains("{")) {
          expected.add("404");
        }
        if (op.getValue().has("requestBody")) {
          expected.add("415");
        }
        for (String code : expected) {
          assertThat(responses.has(code)).as(name + " documents " + code).isTrue();
          assertThat(responses.get(code).get("content").get("application/problem+json").get("schema").get("$ref").asText())
              .as(name + " " + code).isEqualTo("#/components/schemas/Problem");
        }
        JsonNode retryAfter = responses.get("503").path("headers").path("Retry-After").path("schema");
        assertThat(retryAfter.path("type").asText()).as(name + " 503 Retry-After").isEqualTo("integer");
        assertThat(retryAfter.path("example").asInt()).as(name + " 503 Retry-After example").isEqualTo(5);
        checked.add(name);
      }
    }
    assertThat(checked).contains("GET /api/v1/nodes", "POST /api/v1/vms", "DELETE /api/v1/vms/{name}");
  }

  @Test
  void every_list_documents_its_paging_and_the_total_header() {
    List<String> lists = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = docs.get("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      JsonNode get = path.getValue().get("get");
      if (get == null || path.getKey().contains("{")) {
        continue;
      }
      JsonNode ok = get.path("responses").path("200");
      if (!"array".equals(ok.path("content").path("*/*").path("schema").path("type").asText(
          ok.path("content").path("application/json").path("schema").path("type").asText()))) {
        continue;
      }
      String name = "GET " + path.getKey();
      Map<String, JsonNode> query = new java.util.HashMap<>();
      get.path("parameters").forEach(p -> {
        if ("query".equals(p.path("in").asText())) {
          query.put(p.path("name").asText(), p.path("schema"));
        }
      });
      assertThat(query).as(name + " takes page and size").containsKeys("page", "size");
      assertThat(query.get("page").path("minimum").asInt(-1)).as(name + " page minimum").isZero();
      assertThat(query.get("size").path("minimum").asInt()).as(name + " size minimum").isEqualTo(1);
      assertThat(query.get("size").path("maximum").asInt()).as(name + " size maximum").isEqualTo(200);
      assertThat(ok.path("headers").path("X-Total-Count").path("schema").path("type").asText())
          .as(name + " documents X-Total-Count").isEqualTo("integer");
      lists.add(name);
    }
    assertThat(lists).contains("GET /api/v1/vms", "GET /api/v1/nodes", "GET /api/v1/images", "GET /api/v1/runs",
        "GET /api/v1/migrations", "GET /api/v1/deployments", "GET /api/v1/users", "GET /api/v1/tokens",
        "GET /api/v1/audit");
  }

  @Test
  void success_conflict_and_idempotency_codes_are_the_ones_served() {
    JsonNode provision = docs.get("paths").get("/api/v1/vms").get("post").get("responses");
    assertThat(provision.has("202")).isTrue();
    assertThat(provision.has("200")).isFalse();
    assertThat(provision.has("409")).isTrue();
    assertThat(provision.has("422")).isTrue();
    JsonNode revoke = docs.get("paths").get("/api/v1/tokens/{id}").get("delete").get("responses");
    assertThat(revoke.has("204")).isTrue();
    assertThat(revoke.has("409")).isFalse();
    assertThat(docs.get("paths").get("/api/v1/nodes").get("get").get("responses").has("409")).isFalse();
  }

  @Test
  void the_problem_schema_exists_and_raw_json_fields_have_their_served_types() {
    JsonNode schemas = docs.get("components").get("schemas");
    JsonNode problem = schemas.get("Problem");
    assertThat(problem.get("properties").fieldNames()).toIterable()
        .contains("type", "title", "status", "detail", "instance", "errors", "dependency");
    assertThat(schemas.get("FieldError").get("properties").fieldNames()).toIterable().contains("field", "message");

    assertThat(type(schemas.get("NodeView").get("properties").get("gpus"))).isEqualTo("array");
    assertThat(type(schemas.get("NodeView").get("properties").get("labels"))).isEqualTo("object");
    assertThat(type(schemas.get("VmReply").get("properties").get("nics"))).isEqualTo("array");
    assertThat(type(schemas.get("VmReply").get("properties").get("addresses"))).isEqualTo("array");
  }

  @Test
  void a_query_parameter_that_does_not_convert_is_named() throws Exception {
    HttpResponse<String> bad = viewer.get("/api/v1/runs?page=abc");

    assertProblem(bad, 400);
    assertThat(ApiClient.fields(bad.body())).containsExactly("page");
    assertThat(bad.body()).contains("a whole number").contains("'abc'");
  }

  @Test
  void duplicate_keys_and_fractions_for_integers_are_refused_naming_the_field() throws Exception {
    HttpResponse<String> duplicate = operator.post("/api/v1/model-plans",
        "{\"model\":\"llama-3.1-8b\",\"model\":\"llama-3.1-70b\"}", null);
    assertProblem(duplicate, 400);
    assertThat(ApiClient.fields(duplicate.body())).containsExactly("model");
    assertThat(duplicate.body()).contains("twice");

    HttpResponse<String> fraction = operator.post("/api/v1/vms",
        "{\"name\":\"frac\",\"vcpus\":2.5,\"memoryMib\":512,\"diskGib\":1,\"image\":\"x\"}", null);
    assertProblem(fraction, 400);
    assertThat(ApiClient.fields(fraction.body())).containsExactly("vcpus");
    assertThat(fraction.body()).contains("a whole number").contains("2.5");
  }

  @Test
  void another_media_type_is_415_and_another_method_405_as_problem_json() throws Exception {
    HttpResponse<String> text = send(HttpRequest.newBuilder(uri("/api/v1/model-plans"))
        .header("Authorization", "Bearer " + operatorToken())
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello")));
    assertProblem(text, 415);
    assertThat(text.body()).contains("application/json");

    HttpResponse<String> put = send(HttpRequest.newBuilder(uri("/api/v1/model-plans"))
        .header("Authorization", "Bearer " + operatorToken())
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{}")));
    assertProblem(put, 405);
  }

  @Test
  void an_encoded_slash_in_a_path_is_problem_json_naming_the_path() throws Exception {
    HttpResponse<String> slash = viewer.get("/api/v1/vms/a%2Fb");

    assertProblem(slash, 400);
    assertThat(ApiClient.fields(slash.body())).containsExactly("path");
  }

  @Test
  void an_encoded_control_character_in_a_path_is_problem_json_naming_the_path() throws Exception {
    // Schemathesis found it: the dashboard used to answer such a path with 200 and its HTML page.
    HttpResponse<String> control = operator.post("/api/v1/nodes/a%0Fb/cordon", "{}", null);
    HttpResponse<String> c1 = viewer.get("/api/v1/nodes/a%C2%84b");

    assertProblem(control, 400);
    assertThat(ApiClient.fields(control.body())).containsExactly("path");
    assertThat(control.body()).contains("U+000F");
    assertProblem(c1, 400);
    assertThat(c1.body()).contains("U+0084");
  }

  @Test
  void a_nul_in_a_path_is_problem_json_naming_the_path() throws Exception {
    // java.net.http refuses to send it; a socket says exactly what a hostile client would.
    String answer = raw("GET /api/v1/vms/a%00b HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + viewerToken() + "\r\nConnection: close\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(answer.toLowerCase()).contains("content-type: application/problem+json");
    String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
    assertThat(body).doesNotContain("<html");
    assertThat(ApiClient.fields(body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1))).containsExactly("path");
  }

  @Test
  void a_request_line_tomcat_cannot_parse_is_problem_json_too() throws Exception {
    // '{' is not allowed unencoded in a request target: Tomcat refuses it before any filter runs.
    String answer = raw("GET /api/v1/vms/a{b HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(answer.toLowerCase()).contains("content-type: application/problem+json").doesNotContain("<html");
    String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
    assertThat(ApiClient.fields(body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1))).containsExactly("path");
  }

  @Test
  void a_deployment_checkpoint_path_is_checked_at_the_api() throws Exception {
    HttpResponse<String> bad = operator.post("/api/v1/deployments", "{\"name\":\"ckpt\",\"sourceNode\":\"gpu-a\","
        + "\"checkpoint\":\"/models/../etc\",\"nodes\":[\"gpu-a\"]}", null);

    assertProblem(bad, 400);
    assertThat(ApiClient.fields(bad.body())).contains("checkpoint");
    assertThat(bad.body()).contains("'..'");
  }

  private String viewerTokenValue;
  private String operatorTokenValue;

  private String viewerToken() {
    return viewerTokenValue == null ? (viewerTokenValue = tokenFor(Role.VIEWER)) : viewerTokenValue;
  }

  private String operatorToken() {
    return operatorTokenValue == null ? (operatorTokenValue = tokenFor(Role.OPERATOR)) : operatorTokenValue;
  }

  private static String type(JsonNode schema) {
    JsonNode type = schema.get("type");
    return type == null ? "(none: " + schema + ")" : type.isArray() ? type.get(0).asText() : type.asText();
  }

  private static void assertProblem(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(ApiClient.JSON.readTree(response.body()).get("status").asInt()).isEqualTo(status);
  }

  private String raw(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
