package io.novacron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The control plane's REST API, as the CLI uses it, at one address or several replicas'.
 *
 * <p>With several, a request goes to the address that last answered (the first at the start) and
 * moves on to the next only when the request certainly did nothing there: the connection could not
 * be made (refused, or not made within the connect timeout), or the replica answered 503 (a
 * dependency unreachable, nothing done; {@code DependencyUnavailable}). A 4xx is the answer, the
 * same on every replica. A request that went out and got no answer is not resent: it may have
 * started something; the caller reports it (a launch names its Idempotency-Key for a manual retry).
 * A resent launch carries the same {@code Idempotency-Key} header, so replicas that both got it
 * start one run.
 */
final class ApiClient {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final List<URI> bases;
  private final Optional<ApiToken> token;
  /** The address that answered last: later requests of the invocation (a watch) stay with it. */
  private int current;

  ApiClient(URI base, Optional<ApiToken> token) {
    this(List.of(base), token);
  }

  ApiClient(List<URI> bases, Optional<ApiToken> token) {
    if (bases.isEmpty()) {
      throw new IllegalArgumentException("no control-plane address");
    }
    this.bases = List.copyOf(bases);
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

  /** Where the CLI sends its requests now (the address that answered last), for messages. */
  URI base() {
    return bases.get(current);
  }

  Response get(String path) throws IOException, InterruptedException {
    return send(path, HttpRequest.newBuilder().GET());
  }

  Response post(String path, Object body) throws IOException, InterruptedException {
    return send(path, HttpRequest.newBuilder()
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
  }

  /**
   * POSTs a request that starts a run, with the invocation's {@code Idempotency-Key}: a retry with
   * the same key gets the first run back instead of starting another.
   */
  Response post(String path, Object body, LaunchKey key) throws IOException, InterruptedException {
    return send(path, HttpRequest.newBuilder()
        .header("Content-Type", "application/json")
        .header(LaunchKey.HEADER, key.value())
        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
  }

  Response patch(String path, Object body) throws IOException, InterruptedException {
    return send(path, HttpRequest.newBuilder()
        .header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
  }

  Response delete(String path) throws IOException, InterruptedException {
    return send(path, HttpRequest.newBuilder().DELETE());
  }

  /** DELETEs with the invocation's {@code Idempotency-Key}, for a delete that starts a run. */
  Response delete(String path, LaunchKey key) throws IOException, InterruptedException {
    return send(path, HttpRequest.newBuilder().header(LaunchKey.HEADER, key.value()).DELETE());
  }

  /**
   * Sends a request with the bearer token to the current address, failing over as the class says;
   * a 401 or 403 becomes an {@link ApiAuthException} that says which token was used and how to
   * give another. When every address answers 503, the last 503 is returned.
   */
  private Response send(String path, HttpRequest.Builder request) throws IOException, InterruptedException {
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t.value()));
    request.timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
    Response unavailable = null;
    IOException unreachable = null;
    for (int tried = 0; tried < bases.size(); tried++) {
      int at = (current + tried) % bases.size();
      Response response;
      try {
        response = send(request.uri(bases.get(at).resolve(path)).build());
      } catch (ConnectException | HttpConnectTimeoutException e) {
        // Nothing was sent: safe to send it to the next replica.
        unreachable = e;
        continue;
      }
      if (response.status() == 503 && tried + 1 < bases.size()) {
        unavailable = response;
        continue;
      }
      current = at;
      return check(response);
    }
    if (unavailable != null) {
      return check(unavailable);
    }
    throw new IOException("cannot reach the control plane at " + String.join(", ", bases.stream().map(URI::toString)
        .toList()) + ": is it running? (novacron up, or set --api / NOVACRON_API, a comma-separated list for"
        + " several replicas)", unreachable);
  }

  private Response send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), parse(response.body()), total(response));
  }

  private Response check(Response parsed) throws ApiAuthException {
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
  }

  /**
   * The addresses {@code --api} or NOVACRON_API names: one URL, or several separated by commas
   * (replicas, tried in order).
   *
   * @throws IllegalArgumentException naming the bad entry and the expected form
   */
  static List<URI> addresses(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("--api / NOVACRON_API is empty: give http://HOST:PORT, or several"
          + " separated by commas");
    }
    List<URI> addresses = new java.util.ArrayList<>();
    for (String entry : value.split(",", -1)) {
      String text = entry.strip();
      URI uri;
      try {
        uri = new URI(text);
      } catch (java.net.URISyntaxException e) {
        uri = null;
      }
      if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null || (uri.getRawQuery() != null) || (uri.getRawFragment() != null)) {
        throw new IllegalArgumentException("--api / NOVACRON_API entry '" + text + "' is not an address: give"
            + " http://HOST:PORT or https://HOST:PORT, several separated by commas");
      }
      addresses.add(uri);
    }
    return addresses;
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
