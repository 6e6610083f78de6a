package io.novacron.workflows.image;

import io.temporal.activity.ActivityInterface;

/**
 * A node agent's image library, on its host queue ({@code host.<node>}). Both steps land a file
 * only when it hashes to the registered SHA-256, by an atomic rename into
 * {@code images/<name>/disk.<format>}; a copy that does not match is deleted, nothing lands, and
 * the step fails non-retryably. Both are idempotent: an image already in the library is left as
 * it is (only verified bytes ever land there), so a retry after the agent died is safe. Both
 * heartbeat while they read or write.
 */
@ActivityInterface(namePrefix = "Image.")
public interface ImageActivities {
  /**
   * Downloads {@code source.url()} into the library: http(s) only, its host in
   * {@code source.allowedHosts()}, no redirects followed, at most {@code source.sizeBytes()} bytes
   * when known (else the agent's cap), hashed while it streams.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code ImageVerifyFailed} (non-retryable) for a
   *     digest that differs, a body too large, a host not allowed or an HTTP error status
   */
  void download(ImageSource source);

  /**
   * Imports the registered file {@code source.path()} on this node into the library (a hard link
   * where the file system allows, else a copy), after checking its SHA-256.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code ImageVerifyFailed} (non-retryable) for a
   *     missing file or a digest that differs
   */
  void importFile(ImageSource source);
}
