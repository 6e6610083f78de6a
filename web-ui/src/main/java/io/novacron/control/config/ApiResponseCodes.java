package io.novacron.control.config;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.novacron.control.shared.DependencyUnavailable;
import io.novacron.control.shared.Paging;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.HttpHeaders;

/**
 * Makes /v3/api-docs say every status code each operation really answers, each error as an
 * {@code application/problem+json} {@value #PROBLEM} document, and nothing but the REST API.
 *
 * <p>Springdoc sees only the handler methods' return types, so it documents one 200 per operation.
 * The rest follows from how the API is built, in one place instead of on every controller:
 *
 * <ul>
 *   <li>401 and 403 on every operation: the bearer-token filter chain ({@code SecurityConfig},
 *       {@code ApiProblems}) answers them before any controller runs;
 *   <li>400 on every operation: bad parameters, bodies, and paths the firewall refuses (an encoded
 *       {@code /} or NUL) are refused with problem+json before or by {@code ApiExceptionHandler};
 *   <li>415 on operations with a request body: another Content-Type than JSON;
 *   <li>404 on operations with a path variable: the thing it names does not exist;
 *   <li>422 on operations that take an {@code Idempotency-Key}: the key was used with another
 *       request ({@code KeyedLaunches});
 *   <li>503 with {@code Retry-After} on every operation: PostgreSQL or Temporal unreachable
 *       ({@code DependencyUnavailable}); the token check reads PostgreSQL before any controller
 *       runs ({@code ApiProblems}), so no operation is exempt;
 *   <li>the {@code X-Total-Count} header on the 200 of every list paged by {@code page} and
 *       {@code size} ({@code Paging.response});
 *   <li>409 and success codes other than 200 from the small tables below, taken from what the
 *       controllers' Javadoc promises and their code returns.
 * </ul>
 */
final class ApiResponseCodes implements OpenApiCustomizer {
  static final String PROBLEM = "Problem";
  static final String FIELD_ERROR = "FieldError";
  static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
  private static final String RUN_ACCEPTED_REF = "#/components/schemas/RunAccepted";

  /** Operations that refuse with 409 because of the state of what they change ("METHOD path"). */
  static final Set<String> CONFLICTS = Set.of(
      "POST /api/v1/vms",
      "POST /api/v1/vms/{name}/start",
      "POST /api/v1/vms/{name}/stop",
      "POST /api/v1/vms/{name}/reboot",
      "POST /api/v1/vms/{name}/resize",
      "DELETE /api/v1/vms/{name}",
      "GET /api/v1/vms/{name}/console",
      "GET /api/v1/vms/{name}/console/stream",
      "POST /api/v1/images",
      "DELETE /api/v1/images/{name}",
      "POST /api/v1/deployments",
      "POST /api/v1/deployments/{runId}/stop",
      "POST /api/v1/runs/{id}/cancel",
      "POST /api/v1/runs/{id}/force-complete",
      "POST /api/v1/runs/{id}/resolve",
      "POST /api/v1/nodes/{name}/uncordon",
      "POST /api/v1/nodes/{name}/drain",
      "POST /api/v1/users");

  /** Success codes other than springdoc's single 200, where the handler returns them itself. */
  private static final Map<String, List<String>> SUCCESS = Map.of(
      "POST /api/v1/runs/{id}/cancel", List.of("202"),
      "POST /api/v1/runs/{id}/force-complete", List.of("202"),
      "POST /api/v1/images", List.of("201", "200"),
      "DELETE /api/v1/images/{name}", List.of("204"),
      "POST /api/v1/users", List.of("201"),
      "POST /api/v1/tokens", List.of("201"),
      "DELETE /api/v1/tokens/{id}", List.of("204"),
      // 200 with the plan for a dry run, else 202 with the run.
      "POST /api/v1/nodes/{name}/drain", List.of("200", "202"),
      "POST /api/v1/rebalance", List.of("200", "202"));

  @Override
  public void customise(OpenAPI api) {
    // Vaadin's /connect/{endpoint}/{method} and anything else that is not the REST API.
    api.getPaths().keySet().removeIf(path -> !path.startsWith("/api/"));
    api.getComponents().addSchemas(FIELD_ERROR, fieldError());
    api.getComponents().addSchemas(PROBLEM, problem());
    api.getPaths().forEach((path, item) -> item.readOperationsMap()
        .forEach((method, operation) -> document(method + " " + path, path, operation)));
  }

  private static void document(String key, String path, Operation operation) {
    ApiResponses responses = operation.getResponses();
    successCodes(key, responses);
    problem(responses, "400", "Bad request: each bad parameter or body field is named under errors, with the fix");
    problem(responses, "401", "No bearer token, or not a live one");
    problem(responses, "403", "The token's role may not do this; requiredRole names the role needed");
    if (path.contains("{")) {
      problem(responses, "404", "What the path names does not exist");
    }
    if (CONFLICTS.contains(key)) {
      problem(responses, "409", "Refused in the current state of what it changes; detail says why and what to do");
    }
    if (operation.getRequestBody() != null) {
      problem(responses, "415", "The body is not sent as Content-Type: application/json");
    }
    if (paged(operation)) {
      ApiResponse ok = responses.get("200");
      if (ok != null) {
        ok.addHeaderObject(Paging.TOTAL_HEADER, new Header()
            .description("How many items match the filters over all pages (the array holds one page)")
            .schema(new IntegerSchema().format("int64").minimum(java.math.BigDecimal.ZERO)));
      }
    }
    boolean idempotent = operation.getParameters() != null && operation.getParameters().stream()
        .anyMatch(p -> "header".equals(p.getIn()) && "Idempotency-Key".equalsIgnoreCase(p.getName()));
    if (idempotent) {
      problem(responses, "422", "The Idempotency-Key was used with another request");
    }
    problem(responses, "503", "PostgreSQL or Temporal is unreachable, so nothing was done; dependency names it."
        + " Retry after Retry-After seconds (a launch with the same Idempotency-Key)");
    responses.get("503").addHeaderObject(HttpHeaders.RETRY_AFTER, new Header()
        .description("Seconds to wait before retrying")
        .schema(new IntegerSchema().format("int32").minimum(java.math.BigDecimal.ONE)
            .example(DependencyUnavailable.RETRY_AFTER_SECONDS)));
    // Numeric order reads best and is what clients look up.
    TreeMap<String, ApiResponse> sorted = new TreeMap<>(responses);
    responses.clear();
    responses.putAll(sorted);
  }

  /** A list paged by {@link Paging}: it takes the {@code page} and {@code size} query parameters. */
  static boolean paged(Operation operation) {
    return operation.getParameters() != null
        && operation.getParameters().stream().filter(p -> "query".equals(p.getIn()))
            .map(p -> p.getName()).toList().containsAll(List.of("page", "size"));
  }

  private static void successCodes(String key, ApiResponses responses) {
    ApiResponse ok = responses.get("200");
    if (ok == null) {
      return;
    }
    List<String> codes = SUCCESS.get(key);
    if (codes == null) {
      if (refersTo(ok, RUN_ACCEPTED_REF)) {
        // RunAccepted.response: every launch answers 202 with the run to watch.
        responses.remove("200");
        responses.addApiResponse("202", ok.description("Accepted: the run to watch, also in Location"));
      }
      return;
    }
    responses.remove("200");
    for (String code : codes) {
      ApiResponse answer = switch (code) {
        case "201" -> copy(ok, "Created");
        case "202" -> code.equals(codes.get(0)) ? copy(ok, "Accepted") : runAccepted();
        case "204" -> new ApiResponse().description("No content");
        default -> copy(ok, "OK");
      };
      responses.addApiResponse(code, answer);
    }
  }

  private static ApiResponse runAccepted() {
    return new ApiResponse().description("Accepted: the run to watch, also in Location")
        .content(new Content().addMediaType("application/json",
            new MediaType().schema(new Schema<>().$ref(RUN_ACCEPTED_REF))));
  }

  private static ApiResponse copy(ApiResponse ok, String description) {
    return new ApiResponse().description(description).content(ok.getContent());
  }

  private static boolean refersTo(ApiResponse response, String ref) {
    return response.getContent() != null && response.getContent().values().stream()
        .anyMatch(media -> media.getSchema() != null && ref.equals(media.getSchema().get$ref()));
  }

  private static void problem(ApiResponses responses, String code, String description) {
    responses.addApiResponse(code, new ApiResponse().description(description)
        .content(new Content().addMediaType(PROBLEM_JSON,
            new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
  }

  private static Schema<?> fieldError() {
    return new ObjectSchema()
        .addProperty("field", new StringSchema().description("the parameter, header or body field (a.b[0].c)"))
        .addProperty("message", new StringSchema().description("what is wrong and what is expected"))
        .required(List.of("field", "message"));
  }

  private static Schema<?> problem() {
    return new ObjectSchema()
        .description("RFC 9457 problem details; further members may appear")
        .addProperty("type", new StringSchema().description("a URI naming the kind of problem"))
        .addProperty("title", new StringSchema())
        .addProperty("status", new IntegerSchema().format("int32"))
        .addProperty("detail", new StringSchema())
        .addProperty("instance", new StringSchema().description("the request path"))
        .addProperty("errors", new ArraySchema().items(new Schema<>().$ref("#/components/schemas/" + FIELD_ERROR))
            .description("one entry per bad parameter, header or body field (400 only)"))
        .addProperty("requiredRole", new StringSchema().description("the role the operation needs (403 only)"))
        .addProperty("dependency", new StringSchema()._enum(List.of(DependencyUnavailable.POSTGRESQL,
            DependencyUnavailable.TEMPORAL)).description("the unreachable dependency (503 only)"))
        .required(List.of("title", "status"));
  }
}
