package io.novacron.control.run;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Counts for the dashboard's overview: runs in flight and runs ended today, by state. */
@Service
public class RunStatistics {
  private final JdbcClient jdbc;
  private final Clock clock;

  RunStatistics(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * @param running runs not ended: RUNNING, QUEUED, or ATTENTION (waiting for an operator)
   * @param endedToday runs that ended since midnight UTC, by final state (SUCCEEDED, FAILED,
   *     CANCELLED)
   */
  public record RunCounts(long running, Map<String, Long> endedToday) {
    public long endedToday(String state) {
      return endedToday.getOrDefault(state, 0L);
    }
  }

  public RunCounts counts() {
    Instant midnight = LocalDate.now(clock.withZone(ZoneOffset.UTC)).atStartOfDay(ZoneOffset.UTC).toInstant();
    long running = jdbc.sql("select count(*) from runs where " + RunStates.ACTIVE_SQL).query(Long.class).single();
    Map<String, Long> ended = new TreeMap<>();
    jdbc.sql("select state, count(*) from runs where state <> 'RUNNING' and ended_at >= :since group by state")
        .param("since", java.sql.Timestamp.from(midnight))
        .query((rs, row) -> ended.put(rs.getString(1), rs.getLong(2)))
        .list();
    return new RunCounts(running, ended);
  }

  /** VMs by state, e.g. {@code running=3, shutoff=1}. */
  public Map<String, Long> vmsByState() {
    Map<String, Long> byState = new TreeMap<>();
    jdbc.sql("select state, count(*) from vms group by state")
        .query((rs, row) -> byState.put(rs.getString(1), rs.getLong(2)))
        .list();
    return byState;
  }

  /** VMs per node. */
  public Map<String, Long> vmsByNode() {
    Map<String, Long> byNode = new TreeMap<>();
    jdbc.sql("select node, count(*) from vms group by node")
        .query((rs, row) -> byNode.put(rs.getString(1), rs.getLong(2)))
        .list();
    return byNode;
  }
}
