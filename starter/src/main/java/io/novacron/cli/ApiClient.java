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

/** The control plane's REST API, as the CLI uses it. */
final class ApiClient {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final URI base;

  ApiClient(URI base) {
    this.base = base;
  }

  /** A response: status and parsed JSON body. */
  record Response(int status, JsonNode body) {
    boolean ok() {
      return status / 100 == 2;
    }
  }

  Response get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  Response post(String path, Object body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
  }

  private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
    try {
      HttpResponse<String> response = http.send(
          request.timeout(Duration.ofSeconds(30)).header("Accept", "application/json").build(),
          HttpResponse.BodyHandlers.ofString());
      String text = response.body();
      return new Response(response.statusCode(), text == null || text.isBlank() ? json.nullNode() : json.readTree(text));
    } catch (ConnectException e) {
      throw new IOException("cannot reach the control plane at " + base
          + ": is it running? (novacron up, or set --api / NOVACRON_API)", e);
    }
  }
}
