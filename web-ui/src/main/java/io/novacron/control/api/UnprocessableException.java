package io.novacron.control.api;

/** A well-formed request that contradicts an earlier one (an idempotency key reused): HTTP 422. */
class UnprocessableException extends RuntimeException {
  UnprocessableException(String message) {
    super(message);
  }
}
