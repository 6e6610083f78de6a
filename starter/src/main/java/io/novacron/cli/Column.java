package io.novacron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/**
 * One column of a resource's table: its header, how a JSON item shows in it, and whether it shows
 * only with {@code -o wide}.
 */
record Column(String header, Function<JsonNode, String> cell, boolean wideOnly) {
  static Column of(String header, Function<JsonNode, String> cell) {
    return new Column(header, cell, false);
  }

  static Column wide(String header, Function<JsonNode, String> cell) {
    return new Column(header, cell, true);
  }

  /** A text field as it is, null for an absent or null one. */
  static Function<JsonNode, String> text(String field) {
    return item -> item.path(field).isValueNode() && !item.path(field).isNull() ? item.path(field).asText() : null;
  }
}
