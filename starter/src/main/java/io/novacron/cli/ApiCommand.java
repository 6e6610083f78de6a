package io.novacron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the control plane: the API client, the output streams and format of
 * the {@code novacron} command it runs under, and the shared ways to show an answer.
 */
abstract class ApiCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    return execute();
  }

  /** What the command does; returns its exit status. */
  abstract int execute() throws IOException, InterruptedException;

  NovacronCli root() {
    return (NovacronCli) spec.root().userObject();
  }

  ApiClient api() throws IOException {
    return root().api();
  }

  PrintStream out() {
    return root().out();
  }

  Output output() {
    return root().output();
  }

  /** A usage error of this command, reported as picocli reports its own (exit 64). */
  ParameterException usage(String problem) {
    return new ParameterException(spec.commandLine(), problem);
  }

  /** The answer's body when it is a success; otherwise the refusal, which maps to an exit status. */
  static JsonNode ok(ApiClient.Response response) {
    if (!response.ok()) {
      throw ApiRefusal.of(response);
    }
    return response.body();
  }

  /**
   * GETs a list and prints it; a 404 means the control plane has no such list (it predates this
   * CLI), which is said plainly instead of "not found". Below a table, a note on stderr says when
   * the page does not hold every item.
   */
  int list(String path, Map<String, Object> query, List<Column> columns) throws IOException, InterruptedException {
    ApiClient.Response response = api().get(path + query(query));
    if (response.status() == 404) {
      throw olderControlPlane(path);
    }
    JsonNode items = ok(response);
    output().list(items, columns);
    OptionalLong total = response.total();
    if (total.isPresent() && total.getAsLong() > items.size() && !isData()) {
      Object page = query.get("page");
      root().err().println("(" + items.size() + " of " + total.getAsLong() + " shown; the next page: --page="
          + (page == null ? 1 : ((Number) page).intValue() + 1) + ")");
    }
    return ExitCodes.OK;
  }

  /** GETs one item and prints it as a {@code key: value} block (or JSON/YAML). */
  int get(String path, Map<String, Function<JsonNode, String>> formats) throws IOException, InterruptedException {
    ApiClient.Response response = api().get(path);
    if (noSuchEndpoint(response)) {
      throw olderControlPlane(path);
    }
    output().item(ok(response), formats);
    return ExitCodes.OK;
  }

  /**
   * Whether a 404 means the control plane has no such endpoint, not no such item: NovaCron's own
   * 404s name the item in {@code detail}; Spring's for an unmapped path have none, or "No static
   * resource ...".
   */
  static boolean noSuchEndpoint(ApiClient.Response response) {
    if (response.status() != 404) {
      return false;
    }
    String detail = response.body().path("detail").asText("");
    return detail.isEmpty() || detail.startsWith("No static resource") || detail.startsWith("No endpoint");
  }

  private ApiRefusal olderControlPlane(String path) throws IOException {
    return new ApiRefusal("the control plane at " + api().base() + " has no GET " + path
        + " (it is older than this CLI: update it)", List.of(), ExitCodes.FAILED);
  }

  /**
   * Sends a run-starting request with its {@code Idempotency-Key}. When the request went out but no
   * answer came back, the run may have started: the error names the key to retry with.
   */
  ApiClient.Response launch(String path, Object body, LaunchKey key) throws IOException, InterruptedException {
    return launching(key, api -> api.post(path, body, key));
  }

  /** {@link #launch} for a DELETE that starts a run. */
  ApiClient.Response launchDelete(String path, LaunchKey key) throws IOException, InterruptedException {
    return launching(key, api -> api.delete(path, key));
  }

  private ApiClient.Response launching(LaunchKey key, Request request) throws IOException, InterruptedException {
    try {
      return request.send(api());
    } catch (IOException e) {
      if (e instanceof ApiAuthException || e.getCause() instanceof ConnectException) {
        throw e; // refused, or nothing was sent: no run can have started
      }
      String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new IOException(what + " (the run may have started: retry with --idempotency-key=" + key.value()
          + " to get that run instead of a second one)", e);
    }
  }

  /** One request to the API. */
  @FunctionalInterface
  private interface Request {
    ApiClient.Response send(ApiClient api) throws IOException, InterruptedException;
  }

  /** Prints the run id of an accepted launch and, with watch, follows the run. */
  int started(ApiClient.Response response, boolean watch) throws IOException, InterruptedException {
    return started(response, watch, null);
  }

  int started(ApiClient.Response response, boolean watch, String untilPhase) throws IOException, InterruptedException {
    String runId = ok(response).path("runId").asText();
    out().println(runId);
    return watch ? RunWatcher.forConsole(api(), out()).watch(runId, untilPhase) : ExitCodes.OK;
  }

  boolean isData() {
    return output().format() == OutputFormat.json || output().format() == OutputFormat.yaml;
  }

  /** {@code ?k=v&k=v} of the entries that are set; a list value repeats its key. */
  static String query(Map<String, Object> params) {
    StringBuilder query = new StringBuilder();
    params.forEach((key, value) -> {
      if (value == null) {
        return;
      }
      for (Object one : value instanceof List<?> many ? many : List.of(value)) {
        query.append(query.length() == 0 ? '?' : '&').append(key).append('=')
            .append(URLEncoder.encode(String.valueOf(one), StandardCharsets.UTF_8));
      }
    });
    return query.toString();
  }

  /** A path segment from a name the user typed. */
  static String segment(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
