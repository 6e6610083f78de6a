package io.novacron.control.shared;

import java.net.URI;
import org.springframework.http.ResponseEntity;

/** The answer to a launch: the run to watch, also in the {@code Location} header. */
public record RunAccepted(String runId, String statusUrl) {
  public static ResponseEntity<RunAccepted> response(String runId) {
    String statusUrl = "/api/v1/runs/" + runId;
    return ResponseEntity.accepted().location(URI.create(statusUrl)).body(new RunAccepted(runId, statusUrl));
  }
}
