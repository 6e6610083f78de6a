package io.novacron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/** The control plane's REST API, as the CLI uses it. */
final class ApiClient {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final URI base;
  private final Optional<ApiToken> token;

  ApiClient(URI base, Optional<ApiToken> token) {
    this.base = base;
    this.token = token;
  }

  /**
   * A response: status, parsed JSON body, and the {@code X-Total-Count} of a list (the number of
   * all matching items; absent where the API does not send it).
   */
  record Response(int status, JsonNode body, OptionalLong total) {
    Response(int status, JsonNode body) {
      this(status, body, OptionalLong.empty());
    }

    boolean ok() {
      return status / 100 == 2;
    }
  }

  /** Where the CLI sends its requests, for messages. */
  URI base() {
    return base;
  }

  Response get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  Response post(String path, Object body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
  }

  /**
   * POSTs a request that starts a run, with the invocation's {@code Idempotency-Key}: a retry with
   * the same key gets the first run back instead of starting another.
   */
  Response post(String path, Object body, LaunchKey key) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/json")
        .header(LaunchKey.HEADER, key.value())
        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
  }

  Response patch(String path, Object body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
  }

  Response delete(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
  }

  /** DELETEs with the invocation's {@code Idempotency-Key}, for a delete that starts a run. */
  Response delete(String path, LaunchKey key) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).header(LaunchKey.HEADER, key.value()).DELETE());
  }

  /**
   * Sends a request with the bearer token; a 401 or 403 becomes an {@link ApiAuthException} that
   * says which token was used and how to give another.
   */
  private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t.value()));
    try {
      HttpResponse<String> response = http.send(
          request.timeout(Duration.ofSeconds(30)).header("Accept", "application/json").build(),
          HttpResponse.BodyHandlers.ofString());
      String text = response.body();
      Response parsed = new Response(response.statusCode(), parse(text), total(response));
      if (parsed.status() == 401) {
        throw new ApiAuthException(token.isEmpty()
            ? "the control plane needs an API token: set NOVACRON_TOKEN (or NOVACRON_TOKEN_FILE); `novacron up` "
                + "writes an admin token to $NOVACRON_DATA_DIR/admin-token, an admin creates others with POST /api/v1/tokens"
            : "the control plane refused the API token from " + token.get().source()
                + " (unknown, mistyped or revoked): set NOVACRON_TOKEN to a valid token");
      }
      if (parsed.status() == 403) {
        throw new ApiAuthException("the API token from " + token.map(ApiToken::source).orElse("nowhere")
            + " may not do this: " + parsed.body().path("detail").asText("403 Forbidden"));
      }
      return parsed;
    } catch (ConnectException e) {
      throw new IOException("cannot reach the control plane at " + base
          + ": is it running? (novacron up, or set --api / NOVACRON_API)", e);
    }
  }

  /** The body as JSON; a body that is not JSON (a proxy's HTML page) becomes a JSON string to show. */
  private JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return json.nullNode();
    }
    try {
      return json.readTree(text);
    } catch (IOException e) {
      return json.getNodeFactory().textNode(text.strip());
    }
  }

  private static OptionalLong total(HttpResponse<String> response) {
    try {
      return response.headers().firstValue("X-Total-Count").map(v -> OptionalLong.of(Long.parseLong(v.strip())))
          .orElse(OptionalLong.empty());
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
