package io.novacron.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.control.ControlPlaneTest;
import io.novacron.control.security.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Property-based conformance of the REST API to its own /v3/api-docs: schemathesis generates
 * requests from the document (valid and invalid ones) and fails on a 5xx, a response that does not
 * match its schema, a status code or Content-Type the document does not list for the operation.
 *
 * <p>Schemathesis calls every operation, DELETE included, with an admin token, so this class runs
 * against a control plane of its own (the property below gives it a separate application context,
 * database and data directory), never one whose data other tests read. The Temporal test server has
 * no agents: runs it starts stay pending, which is harmless.
 *
 * <p>It runs in a surefire execution of its own (web-ui/pom.xml), in a JVM of its own: in the shared
 * test JVM every API test of the common context that ran after it was answered 401 for valid
 * tokens (found by CI on 2026-12-06; the cause inside the shared JVM is not pinned down yet).
 *
 * <p>Schemathesis 4 lives in a venv that {@code novacron install} (and so {@code novacron test},
 * what CI runs) creates: {@code $NOVACRON_SCHEMATHESIS}, else
 * {@code ~/.cache/novacron/schemathesis-venv/bin/schemathesis}.
 */
@TestPropertySource(properties = "novacron.test.context=api-conformance")
class ApiConformanceTest extends ControlPlaneTest {
  /** Bounds the run to about two minutes on two shared cores; the seed makes a failure repeatable. */
  private static final List<String> BOUNDS = List.of("--max-examples", "6", "--max-time", "100", "--seed", "20261206",
      "--workers", "2", "--request-timeout", "30");

  @LocalServerPort int port;

  @Test
  void the_api_answers_as_its_openapi_document_says() throws Exception {
    Path schemathesis = schemathesis();
    Path reports = Files.createDirectories(Path.of("target/schemathesis")).toAbsolutePath();
    Path log = reports.resolve("run.log");
    List<String> command = new java.util.ArrayList<>(List.of(schemathesis.toString(), "run",
        "http://127.0.0.1:" + port + "/v3/api-docs",
        "--header", "Authorization: Bearer " + tokenFor(Role.ADMIN),
        "--checks", "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance",
        "--phases", "examples,coverage,fuzzing",
        // An event stream that stays open as long as the client reads: every request would hang
        // until the request timeout. GET .../console (the same checks, one read) stays in.
        "--exclude-path", "/api/v1/vms/{name}/console/stream",
        "--report", "junit", "--report-dir", reports.toString(),
        "--no-color"));
    command.addAll(BOUNDS);
    Run run = run(command, reports, log);
    if (run.exit() != 0 && toolErrorOnly(run.output())) {
      // Hypothesis, under schemathesis, sometimes fails inside itself ("AST constructor recursion
      // depth mismatch" while describing a strategy): no request was judged then. Once more; a
      // real finding repeats, as the seed is fixed.
      run = run(command, reports, log);
    }
    assertThat(run.exit()).as("schemathesis found no failure (full log: " + log + "):\n" + run.output()).isZero();
    // A run that tested nothing would pass too: make sure it reached the operations.
    assertThat(run.output()).contains("/api/v1/vms").doesNotContain("No operations");
  }

  private record Run(int exit, String output) {}

  /** One schemathesis run; fails the test when it hangs. */
  private static Run run(List<String> command, Path reports, Path log) throws Exception {
    Process process = new ProcessBuilder(command).directory(reports.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    boolean ended = process.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      process.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat(ended).as("schemathesis ended within 5 minutes:\n" + output).isTrue();
    return new Run(process.exitValue(), output);
  }

  /** Whether the run's only problems are errors inside schemathesis or hypothesis, no check failed. */
  static boolean toolErrorOnly(String output) {
    return !output.contains(" FAILURES ") && output.contains("Runtime Error") && output.contains("site-packages");
  }

  private static Path schemathesis() {
    String configured = System.getenv("NOVACRON_SCHEMATHESIS");
    Path path = configured != null && !configured.isBlank() ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".cache/novacron/schemathesis-venv/bin/schemathesis");
    assertThat(Files.isExecutable(path))
        .as("schemathesis at " + path + ": run 'starter/bin/novacron install' (it creates that venv)").isTrue();
    return path;
  }
}
