package io.novacron.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** A small JSON client of the control plane's REST API for tests. */
final class ApiClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final int port;
  private final String token;

  /** A client that sends {@code token} as its bearer token. */
  ApiClient(int port, String token) {
    this.port = port;
    this.token = token;
  }

  HttpResponse<String> post(String path, String body, String idempotencyKey) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> delete(String path, String idempotencyKey) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
        .header("Authorization", "Bearer " + token)
        .DELETE();
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The run record once the run has left QUEUED and RUNNING; fails the test after 60 s. A bound on
   * waiting, never a timing assertion.
   */
  JsonNode awaitEnd(String runId) throws Exception {
    JsonNode run = null;
    for (int i = 0; i < 300; i++) {
      run = JSON.readTree(get("/api/v1/runs/" + runId).body());
      String state = run.get("state").asText();
      if (!"RUNNING".equals(state) && !"QUEUED".equals(state)) {
        return run;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("run " + runId + " did not end: " + run);
  }

  /** The field names of a problem document's {@code errors}. */
  static List<String> fields(String problem) throws Exception {
    List<String> names = new ArrayList<>();
    JsonNode errors = JSON.readTree(problem).get("errors");
    if (errors != null) {
      errors.forEach(error -> names.add(error.get("field").asText()));
    }
    return names;
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
