package io.novacron.control.shared;

/** A well-formed request that contradicts an earlier one (an idempotency key reused): HTTP 422. */
public class UnprocessableException extends RuntimeException {
  public UnprocessableException(String message) {
    super(message);
  }
}
