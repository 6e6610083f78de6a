package io.novacron.control.shared;

import com.fasterxml.jackson.core.JsonParseException;
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
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

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
    if (e.getCause() instanceof JsonParseException parse && parse.getMessage().startsWith("Duplicate field")
        && parse.getProcessor() != null) {
      // STRICT_DUPLICATE_DETECTION (application.properties): the parser stands on the second key.
      return problem(List.of(new FieldError(path(parse.getProcessor().getParsingContext().pathAsPointer().toString()),
          "is given twice; send each field once")));
    }
    if (e.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      String field = mapping.getPath().stream()
          .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
          .collect(Collectors.joining("."))
          .replace(".[", "[");
      String expected = mapping instanceof InvalidFormatException format
          ? "must be " + expected(format.getTargetType()) + ", was '" + format.getValue() + "'"
          : mapping instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null
              ? "must be a " + mismatched.getTargetType().getSimpleName().toLowerCase()
              : "has a value of the wrong type";
      return problem(List.of(new FieldError(field, expected)));
    }
    return problem(List.of(new FieldError("body", "is not a readable JSON object: send Content-Type: application/json and a JSON object")));
  }

  /** A query or path parameter that does not convert: {@code page=abc}. */
  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ProblemDetail mismatched(MethodArgumentTypeMismatchException e) {
    return problem(List.of(new FieldError(e.getName(),
        "must be " + expected(e.getRequiredType()) + ", was '" + e.getValue() + "'")));
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  ProblemDetail missingParameter(MissingServletRequestParameterException e) {
    return problem(List.of(new FieldError(e.getParameterName(),
        "is required: a query parameter of type " + e.getParameterType())));
  }

  @ExceptionHandler(MissingRequestHeaderException.class)
  ProblemDetail missingHeader(MissingRequestHeaderException e) {
    return problem(List.of(new FieldError(e.getHeaderName(), "is a required header")));
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ProblemDetail unsupportedMediaType(HttpMediaTypeNotSupportedException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "Content-Type " + (e.getContentType() == null ? "(none)" : "'" + e.getContentType() + "'")
            + " is not supported; send the body as Content-Type: " + MediaType.APPLICATION_JSON_VALUE);
    problem.setTitle("Unsupported media type");
    problem.setType(URI.create("https://novacron.io/problems/unsupported-media-type"));
    problem.setProperty("errors", List.of(new FieldError("Content-Type", "must be " + MediaType.APPLICATION_JSON_VALUE)));
    return problem;
  }

  /** PostgreSQL or Temporal unreachable: 503 with Retry-After, never a 500 (issue 19, failover). */
  @ExceptionHandler({DependencyUnavailableException.class, DataAccessResourceFailureException.class,
      TransientDataAccessException.class})
  ResponseEntity<ProblemDetail> unavailable(RuntimeException e) {
    String dependency = e instanceof DependencyUnavailableException d ? d.dependency()
        : DependencyUnavailable.of(e).orElse(DependencyUnavailable.POSTGRESQL);
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, Integer.toString(DependencyUnavailable.RETRY_AFTER_SECONDS))
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(DependencyUnavailable.problem(dependency));
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

  /** What a client must send for {@code type}, in JSON's words rather than Java's. */
  private static String expected(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class
        || type == short.class || type == Short.class || type == java.math.BigInteger.class) {
      return "a whole number";
    }
    if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type.isEnum()) {
      return "one of " + java.util.Arrays.toString(type.getEnumConstants());
    }
    return "a " + type.getSimpleName().toLowerCase();
  }

  /** A JSON pointer ({@code /serving/port}, {@code /nodes/1}) as the API names fields ({@code serving.port}, {@code nodes[1]}). */
  private static String path(String pointer) {
    StringBuilder field = new StringBuilder();
    for (String part : pointer.substring(pointer.isEmpty() ? 0 : 1).split("/")) {
      if (part.matches("\\d+")) {
        field.append('[').append(part).append(']');
      } else {
        field.append(field.length() == 0 ? "" : ".").append(part.replace("~1", "/").replace("~0", "~"));
      }
    }
    return field.length() == 0 ? "body" : field.toString();
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
