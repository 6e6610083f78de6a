package io.novacron.control.inventory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads a page of the VM inventory in plain JDBC: the REST list's hot path, where the repository
 * proxy and Spring Data's entity mapping of 50 rows cost more than the query (docs/bench/api.md).
 * The label-filtered pages stay {@link VmRepository#findByLabelsContaining}'s.
 */
@Component
public class VmListReader {
  private final JdbcClient jdbc;

  VmListReader(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** One page of the inventory by name (the primary key's order). */
  public List<VmRow> page(int limit, long offset) {
    return jdbc.sql("select * from vms order by name limit :limit offset :offset").param("limit", limit)
        .param("offset", offset).query(VmListReader::row).list();
  }

  /** A {@code vms} row as {@link VmRow}, column by column. */
  static VmRow row(ResultSet rs, int rowNum) throws SQLException {
    return new VmRow(rs.getString("name"), rs.getString("uuid"), rs.getString("node"), rs.getString("state"),
        rs.getInt("vcpus"), rs.getLong("memory_mib"), rs.getLong("disk_gib"), rs.getString("image"),
        rs.getString("disk_path"), rs.getString("run_id"), instant(rs.getTimestamp("created_at")),
        instant(rs.getTimestamp("updated_at")), rs.getString("origin"), rs.getString("drift"),
        instant(rs.getTimestamp("drift_at")), rs.getString("nics"), rs.getString("addresses"), rs.getString("labels"));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
