package io.novacron.control.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of a run list page and its count, with a condition only for each filter present: each
 * combination of filters is then a statement of its own, which PostgreSQL plans for the index that
 * serves it (V11__run_list_indexes.sql), so a page stays an index range scan as the table grows. A
 * catch-all {@code (:type is null or type = :type)} leaves that to the planner's choice between a
 * custom and a generic plan, and the generic one reads the whole table.
 *
 * @param where the condition, {@code true} without filters
 * @param params the filters present, by their parameter names
 */
record RunListSql(String where, Map<String, Object> params) {
  /** The columns a list item shows: every column but the run's input, which no list returns. */
  static final String COLUMNS = "id, type, subject, state, phase, detail, node, started_at, updated_at, ended_at";

  /** The list's filters; a null filter matches every run. */
  static RunListSql of(RunQuery query) {
    List<String> conditions = new ArrayList<>();
    Map<String, Object> params = new LinkedHashMap<>();
    add(conditions, params, "type", query.type());
    add(conditions, params, "state", query.state());
    add(conditions, params, "subject", query.subject());
    return new RunListSql(conditions.isEmpty() ? "true" : String.join(" and ", conditions), params);
  }

  /** A page newest first; the id breaks ties in start time so that pages never overlap. */
  String page() {
    return "select " + COLUMNS + " from runs where " + where + " order by started_at desc, id limit :limit offset :offset";
  }

  String count() {
    return "select count(*) from runs where " + where;
  }

  private static void add(List<String> conditions, Map<String, Object> params, String column, String value) {
    if (value != null) {
      conditions.add(column + " = :" + column);
      params.put(column, value);
    }
  }
}
