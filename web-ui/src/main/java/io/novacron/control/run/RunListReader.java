package io.novacron.control.run;

import io.novacron.control.shared.Paging;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads a page of the run list in plain JDBC: the REST list's hot path. Profiling it
 * (docs/bench/api.md) put a third of a request's CPU in the repository proxy and Spring Data's
 * entity mapping of 50 rows; a row mapper that reads the columns by position costs a fraction.
 */
@Component
class RunListReader {
  private final JdbcClient jdbc;

  RunListReader(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The matching runs of one page, newest first. */
  List<RunRow> page(RunQuery query, Paging paging) {
    RunListSql sql = RunListSql.of(query);
    return jdbc.sql(sql.page()).params(sql.params()).param("limit", paging.size()).param("offset", paging.offset())
        .query(RunListReader::row).list();
  }

  /** How many runs match in all. */
  long count(RunQuery query) {
    RunListSql sql = RunListSql.of(query);
    return jdbc.sql(sql.count()).params(sql.params()).query(Long.class).single();
  }

  /** A row of {@link RunListSql#COLUMNS}, in that order; the input stays null. */
  static RunRow row(ResultSet rs, int rowNum) throws SQLException {
    return new RunRow(rs.getString(1), rs.getString(2), rs.getString(3), null, rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getString(7), instant(rs.getTimestamp(8)), instant(rs.getTimestamp(9)),
        instant(rs.getTimestamp(10)));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
