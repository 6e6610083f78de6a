package io.novacron.control.shared;

import io.novacron.workflows.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What checking an operator's order found, the same for every kind of run and for both ways in
 * (the REST API turns a refusal into its status; the dashboard shows the errors or the message).
 *
 * @param refusal why the order is refused; {@link Refusal#NONE} when it may start
 * @param request the request the run starts with, where the check made one (the migration's,
 *     with its source node from the inventory); null when refused
 * @param errors the bad fields of an INVALID order, each with its fix
 * @param message the sentence for the other refusals (and the errors joined, for an INVALID one)
 */
public record OrderCheck<T>(Refusal refusal, T request, List<FieldError> errors, String message) {
  /** Why an order is refused, with the HTTP status the REST API answers it with. */
  public enum Refusal {
    NONE,
    /** 400: the fields say what is wrong. */
    INVALID,
    /** 404: what the order names does not exist. */
    UNKNOWN,
    /** 409: the order conflicts with what is there now (another run, a missing VM). */
    CONFLICT
  }

  public static <T> OrderCheck<T> accepted(T request) {
    return new OrderCheck<>(Refusal.NONE, request, List.of(), null);
  }

  public static <T> OrderCheck<T> invalid(List<FieldError> errors) {
    return new OrderCheck<>(Refusal.INVALID, null, List.copyOf(errors),
        errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
  }

  public static <T> OrderCheck<T> unknown(String message) {
    return new OrderCheck<>(Refusal.UNKNOWN, null, List.of(), message);
  }

  public static <T> OrderCheck<T> conflict(String message) {
    return new OrderCheck<>(Refusal.CONFLICT, null, List.of(), message);
  }

  public boolean accepted() {
    return refusal == Refusal.NONE;
  }

  /** The REST API's answer to a refusal: a 400, 404 or 409 problem; nothing when accepted. */
  public OrderCheck<T> orThrow() {
    switch (refusal) {
      case INVALID -> throw new InvalidRequestException(errors);
      case UNKNOWN -> throw new NotFoundException(message);
      case CONFLICT -> throw new ConflictException(message);
      case NONE -> { }
    }
    return this;
  }
}
