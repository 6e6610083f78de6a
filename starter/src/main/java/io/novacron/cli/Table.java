package io.novacron.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An aligned text table as {@code virsh list} prints one: a header row, columns padded to their
 * widest cell and two spaces apart, no trailing blanks.
 */
final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  Table(List<String> headers) {
    this.headers = List.copyOf(headers);
  }

  /** Adds a row; a null cell shows as {@code -}. */
  Table row(List<String> cells) {
    if (cells.size() != headers.size()) {
      throw new IllegalArgumentException("a row of " + cells.size() + " cells in a table of " + headers.size() + " columns");
    }
    List<String> shown = new ArrayList<>();
    cells.forEach(c -> shown.add(c == null || c.isEmpty() ? "-" : c.replace('\n', ' ')));
    rows.add(shown);
    return this;
  }

  void print(PrintStream out) {
    int[] widths = new int[headers.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = headers.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    line(out, headers, widths);
    rows.forEach(row -> line(out, row, widths));
  }

  private static void line(PrintStream out, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      line.append(cells.get(c));
      if (c < cells.size() - 1) {
        line.append(" ".repeat(widths[c] - cells.get(c).length() + 2));
      }
    }
    out.println(line.toString().stripTrailing());
  }
}
