package io.novacron.control.shared;

import io.novacron.workflows.FieldError;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.ResponseEntity;

/**
 * One page of a list endpoint: {@code page} (0-based) and {@code size} (1..{@value #MAX_SIZE}), as
 * every {@code /api/v1} list takes them. The list itself stays a plain JSON array; the header
 * {@value #TOTAL_HEADER} says how many items match in all.
 */
public record Paging(int page, int size) {
  public static final int DEFAULT_SIZE = 50;
  public static final int MAX_SIZE = 200;
  /** The response header with the number of items matching the filters, over all pages. */
  public static final String TOTAL_HEADER = "X-Total-Count";

  /**
   * Reads the query parameters (absent: page 0, size {@value #DEFAULT_SIZE}). Taken as text so that
   * {@code page=x} is a 400 naming {@code page} like any other bad value.
   *
   * @throws InvalidRequestException naming {@code page} and/or {@code size} and the values allowed
   */
  public static Paging of(String page, String size) {
    List<FieldError> errors = new ArrayList<>();
    Paging paging = of(page, size, errors);
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return paging;
  }

  /**
   * As {@link #of(String, String)}, but adds the errors to {@code errors} (and answers the defaults)
   * so that an endpoint can report them with those of its other parameters in one 400.
   */
  public static Paging of(String page, String size, List<FieldError> errors) {
    int pageNumber = parse(page, 0, "page", 0, Integer.MAX_VALUE, "must be a whole number, 0 or more", errors);
    int pageSize = parse(size, DEFAULT_SIZE, "size", 1, MAX_SIZE,
        "must be a whole number from 1 to " + MAX_SIZE, errors);
    return new Paging(pageNumber, pageSize);
  }

  /** How many matching items come before this page: the SQL {@code OFFSET}. */
  public long offset() {
    return (long) page * size;
  }

  /** A 200 with the page's items as a JSON array and {@value #TOTAL_HEADER}. */
  public static <T> ResponseEntity<List<T>> response(List<T> items, long total) {
    return ResponseEntity.ok().header(TOTAL_HEADER, Long.toString(total)).body(items);
  }

  private static int parse(String text, int absent, String name, int min, int max, String rule,
      List<FieldError> errors) {
    if (text == null || text.isBlank()) {
      return absent;
    }
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the rule
    }
    errors.add(new FieldError(name, rule + ", was '" + text + "'"));
    return absent;
  }
}
