package io.novacron.workflows;

/** A rejected field of a request: which one, and what to do about it. */
public record FieldError(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
