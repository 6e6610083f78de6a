package io.novacron.control.shared;

import io.novacron.workflows.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/** A request the API refuses with 400 and one message per bad field. */
public class InvalidRequestException extends RuntimeException {
  private final transient List<FieldError> errors;

  public InvalidRequestException(List<FieldError> errors) {
    super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
