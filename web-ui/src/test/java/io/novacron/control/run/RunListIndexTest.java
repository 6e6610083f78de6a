package io.novacron.control.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.control.ControlPlaneTest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The run lists stay index range scans as the table grows (V11__run_list_indexes.sql): with 20,000
 * runs, PostgreSQL's plan for a page reads an index (a selective filter through its own, a common
 * one along the start-time order) and never the whole table. The plan is checked, not the time, of
 * the statement the REST list runs ({@link RunListSql}).
 */
class RunListIndexTest extends ControlPlaneTest {
  private static final String PREFIX = "IndexTest";

  @Autowired JdbcClient jdbc;

  @AfterEach
  void removeTheBulk() {
    jdbc.sql("delete from runs where type like '" + PREFIX + "%'").update();
  }

  @Test
  void aFilteredPageReadsItsIndexInOrder() {
    jdbc.sql("insert into runs (id, type, subject, state, phase, started_at, updated_at)"
        + " select 'idx-' || g, '" + PREFIX + "' || case when g % 200 = 0 then 'Rare' else 'Common' end,"
        + " 'idx-vm-' || (g % 2000),"
        + " case when g % 3 = 0 then 'FAILED' else 'SUCCEEDED' end, 'done',"
        + " timestamp '2026-01-01' + g * interval '1 second', timestamp '2026-01-01' + g * interval '1 second'"
        + " from generate_series(1, 20000) g").update();
    jdbc.sql("analyze runs").update();

    String rare = plan(PREFIX + "Rare", null, null);
    assertThat(rare).contains("runs_type_started_at");
    assertNoTableScan(rare);
    String ofOneVm = plan(null, null, "idx-vm-42");
    assertThat(ofOneVm).contains("runs_subject_started_at");
    assertNoTableScan(ofOneVm);
    String rareFailed = plan(PREFIX + "Rare", "FAILED", null);
    assertThat(rareFailed).contains("runs_type_started_at");
    // A common type is cheapest read along the start-time index, filtered until the page is full.
    String common = plan(PREFIX + "Common", null, null);
    assertThat(common).contains("Index Scan");
    assertNoTableScan(common);
    assertNoTableScan(plan(null, null, null));
  }

  /** Sorting the few rows an index found is fine; reading the whole table is not. */
  private static void assertNoTableScan(String plan) {
    assertThat(plan).as(plan).doesNotContain("Seq Scan");
  }

  /** The plan of the list's own page statement ({@link RunListSql}) for these filters, page 3 of 50. */
  private String plan(String type, String state, String subject) {
    RunListSql sql = RunListSql.of(new RunQuery(type, state, subject));
    List<String> lines = jdbc.sql("explain " + sql.page()).params(sql.params()).param("limit", 50)
        .param("offset", 100).query(String.class).list();
    return String.join("\n", lines);
  }
}
