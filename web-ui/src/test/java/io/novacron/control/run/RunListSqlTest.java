package io.novacron.control.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RunListSqlTest {
  @Test
  void noFilterIsNoCondition() {
    RunListSql sql = RunListSql.of(RunQuery.ALL);

    assertThat(sql.page()).isEqualTo("select " + RunListSql.COLUMNS
        + " from runs where true order by started_at desc, id limit :limit offset :offset");
    assertThat(sql.count()).isEqualTo("select count(*) from runs where true");
    assertThat(sql.params()).isEmpty();
  }

  @Test
  void eachPresentFilterIsOneBoundCondition() {
    RunListSql sql = RunListSql.of(new RunQuery("MigrateVm", null, "web-1"));

    assertThat(sql.where()).isEqualTo("type = :type and subject = :subject");
    assertThat(sql.params()).containsExactly(Map.entry("type", "MigrateVm"), Map.entry("subject", "web-1"));
  }

  @Test
  void filterValuesNeverReachTheSqlText() {
    RunListSql sql = RunListSql.of(new RunQuery("x' or '1'='1", "FAILED", null));

    assertThat(sql.page()).doesNotContain("or '1'").contains("type = :type and state = :state");
    assertThat(sql.params()).containsEntry("type", "x' or '1'='1");
  }

  @Test
  void theListNeverReadsTheInput() {
    assertThat(RunListSql.COLUMNS).doesNotContain("input").contains("started_at", "ended_at", "detail");
  }
}
