package io.novacron.control.run;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads the items of a parent run (a drain's or a rebalance's VMs), in plan order. */
@Component
public class RunItems {
  private final JdbcClient jdbc;

  RunItems(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * One item as it is now.
   *
   * @param item the VM
   * @param state {@code planned}, {@code moving}, {@code moved} or {@code stayed}
   * @param target where it goes or went; null for one that stays
   * @param childRun the MigrateVm run of its current or last move
   * @param detail what happened or why it stays
   * @param at when that was recorded
   */
  public record Item(String item, String state, String target, String childRun, String detail, Instant at) {}

  public List<Item> of(String runId) {
    return jdbc.sql("select item, state, target, child_run, detail, at from run_items where run_id = :id order by seq")
        .param("id", runId)
        .query((rs, i) -> new Item(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getTimestamp(6).toInstant()))
        .list();
  }
}
