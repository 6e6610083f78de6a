package io.novacron.control.shared;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.novacron.workflows.FieldError;
import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns bad input into RFC 9457 problem documents ({@code application/problem+json}) with one
 * entry per bad field under {@code errors}: a 4xx that says what to fix, never a 5xx.
 */
// Every REST controller, whichever feature package it lives in; the Vaadin views keep their own
// error handling.
@RestControllerAdvice(annotations = RestController.class)
// Ahead of Spring's own problem-details advice, which would answer "Failed to read request"
// without naming the field.
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiExceptionHandler {

  @ExceptionHandler(InvalidRequestException.class)
  ProblemDetail invalid(InvalidRequestException e) {
    return problem(e.errors());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ProblemDetail unreadable(HttpMessageNotReadableException e) {
    if (e.getCause() instanceof UnrecognizedPropertyException unknown) {
      return problem(List.of(new FieldError(unknown.getPropertyName(),
          "is not a field of this request; the fields are " + unknown.getKnownPropertyIds())));
    }
    if (e.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      String field = mapping.getPath().stream()
          .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
          .collect(Collectors.joining("."));
      String expected = mapping instanceof InvalidFormatException format
          ? "must be a " + format.getTargetType().getSimpleName().toLowerCase() + ", was '" + format.getValue() + "'"
          : mapping instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null
              ? "must be a " + mismatched.getTargetType().getSimpleName().toLowerCase()
              : "has a value of the wrong type";
      return problem(List.of(new FieldError(field, expected)));
    }
    return problem(List.of(new FieldError("body", "is not a readable JSON object: send Content-Type: application/json and a JSON object")));
  }

  @ExceptionHandler(NotFoundException.class)
  ProblemDetail notFound(NotFoundException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    problem.setTitle("Not found");
    return problem;
  }

  @ExceptionHandler(UnprocessableException.class)
  ProblemDetail unprocessable(UnprocessableException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage());
    problem.setTitle("Unprocessable request");
    return problem;
  }

  @ExceptionHandler(ConflictException.class)
  ProblemDetail conflict(ConflictException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    problem.setTitle("Conflict");
    return problem;
  }

  private static ProblemDetail problem(List<FieldError> errors) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
        errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    problem.setTitle("Invalid request");
    problem.setType(URI.create("https://novacron.io/problems/invalid-request"));
    problem.setProperty("errors", errors);
    return problem;
  }
}
