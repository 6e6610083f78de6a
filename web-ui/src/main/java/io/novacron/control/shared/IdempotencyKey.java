package io.novacron.control.shared;

import io.novacron.workflows.FieldError;
import java.util.Optional;
import java.util.regex.Pattern;

/** The {@code Idempotency-Key} header of the launching endpoints. */
public final class IdempotencyKey {
  public static final String HEADER = "Idempotency-Key";
  /** Printable ASCII without spaces, as clients generate them (UUIDs, ULIDs, hashes). */
  private static final Pattern VALID = Pattern.compile("[!-~]{1,200}");

  private IdempotencyKey() {}

  /** The error for a malformed key; empty for a good key or none. */
  public static Optional<FieldError> check(String key) {
    return key == null || VALID.matcher(key).matches()
        ? Optional.empty()
        : Optional.of(new FieldError(HEADER, "must be 1-200 printable ASCII characters without spaces"));
  }
}
