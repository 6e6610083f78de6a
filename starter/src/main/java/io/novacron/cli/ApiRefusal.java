package io.novacron.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The control plane answered a request with an error: its problem detail and each field it named,
 * to print, and the exit status the HTTP status maps to ({@link ExitCodes#forHttpStatus}).
 */
final class ApiRefusal extends RuntimeException {
  private final int exitCode;
  private final List<String> fieldErrors;

  ApiRefusal(String message, List<String> fieldErrors, int exitCode) {
    super(message);
    this.fieldErrors = List.copyOf(fieldErrors);
    this.exitCode = exitCode;
  }

  /** The API's refusal: {@code detail} (else the body) and each entry of {@code errors}. */
  static ApiRefusal of(ApiClient.Response response) {
    List<String> fields = new ArrayList<>();
    response.body().path("errors").forEach(e -> fields.add(e.path("field").asText() + ": " + e.path("message").asText()));
    String detail = response.body().path("detail").asText("");
    if (detail.isEmpty()) {
      detail = response.body().isTextual() ? response.body().asText()
          : response.body().isNull() ? "HTTP " + response.status() : response.body().toString();
    }
    return new ApiRefusal(detail, fields, ExitCodes.forHttpStatus(response.status()));
  }

  int exitCode() {
    return exitCode;
  }

  List<String> fieldErrors() {
    return fieldErrors;
  }
}
