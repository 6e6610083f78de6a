package io.novacron.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Prints what the API answered in the format {@code -o} asks for: a list as an aligned table (or
 * JSON/YAML), one item as a {@code key: value} block (or JSON/YAML).
 */
final class Output {
  private static final ObjectMapper YAML = new ObjectMapper(
      new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  private final PrintStream out;
  private final OutputFormat format;

  Output(PrintStream out, OutputFormat format) {
    this.out = out;
    this.format = format;
  }

  OutputFormat format() {
    return format;
  }

  /** A JSON array of items, one row each, in the given columns. */
  void list(JsonNode items, List<Column> columns) {
    if (data(items)) {
      return;
    }
    List<Column> shown = columns.stream().filter(c -> format == OutputFormat.wide || !c.wideOnly()).toList();
    Table table = new Table(shown.stream().map(Column::header).toList());
    for (JsonNode item : items) {
      List<String> cells = new ArrayList<>();
      shown.forEach(c -> cells.add(c.cell().apply(item)));
      table.row(cells);
    }
    table.print(out);
  }

  /**
   * One item: each of its fields on a line, {@code key: value}, aligned; the columns' formats for
   * the fields they show (sizes with units), nested objects and lists as compact JSON.
   */
  void item(JsonNode item, Map<String, java.util.function.Function<JsonNode, String>> formats) {
    if (data(item)) {
      return;
    }
    int width = 0;
    for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
      width = Math.max(width, names.next().length());
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = item.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = field.getValue();
      String text = formats.containsKey(field.getKey()) ? formats.get(field.getKey()).apply(item)
          : value.isNull() ? null : value.isValueNode() ? value.asText() : value.toString();
      out.println((field.getKey() + ":").concat(" ".repeat(width - field.getKey().length() + 1))
          .concat(text == null || text.isEmpty() ? "-" : text).stripTrailing());
    }
  }

  /** Prints JSON or YAML and answers true; answers false for the formats made for people. */
  boolean data(JsonNode node) {
    switch (format) {
      case json -> out.println(node.toPrettyString());
      case yaml -> out.print(yaml(node));
      default -> {
        return false;
      }
    }
    return true;
  }

  static String yaml(JsonNode node) {
    try {
      return YAML.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
