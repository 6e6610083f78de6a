package io.novacron.cli;

import java.io.PrintStream;

/** How the CLI's commands show an API answer: a refusal with its fields, or the JSON. */
final class Replies {
  private Replies() {}

  /** Prints the API's refusal (its detail and each bad field); returns the exit status. */
  static int refused(PrintStream err, ApiClient.Response response) {
    err.println("novacron: " + response.body().path("detail").asText(response.body().toString()));
    response.body().path("errors").forEach(e -> err.println("  " + e.path("field").asText() + ": " + e.path("message").asText()));
    return response.status() / 100 == 4 ? NovacronCli.EXIT_USAGE : NovacronCli.EXIT_FAILED;
  }

  /** Prints the answer's JSON, or the refusal; returns the exit status. */
  static int print(PrintStream out, PrintStream err, ApiClient.Response response) {
    if (!response.ok()) {
      return refused(err, response);
    }
    out.println(response.body().toPrettyString());
    return 0;
  }
}
