package io.novacron.control.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.control.ControlPlaneTest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The audit list stays an index range scan as the table grows (V13__audit_list_indexes.sql): with
 * 20,000 entries, PostgreSQL's plan for a page of one actor reads its index, and the unfiltered
 * and time-ranged pages read audit_events_at; none reads the whole table. The plan is checked, not
 * the time.
 */
class AuditListIndexTest extends ControlPlaneTest {
  private static final String PREFIX = "idx-auditor-";

  @Autowired JdbcClient jdbc;

  @AfterEach
  void removeTheBulk() {
    jdbc.sql("delete from audit_events where actor like '" + PREFIX + "%'").update();
  }

  @Test
  void aFilteredPageReadsItsIndexInOrder() {
    jdbc.sql("insert into audit_events (at, actor_kind, actor, action, target, outcome, request_id)"
        + " select timestamp '2026-01-01' + g * interval '1 second', 'user', '" + PREFIX + "' || (g % 500),"
        + " 'POST /api/v1/vms', '/api/v1/vms (vm' || g || ')', case when g % 3 = 0 then 'refused' else 'accepted' end,"
        + " 'rid-' || g from generate_series(1, 20000) g").update();
    jdbc.sql("analyze audit_events").update();

    String ofOneActor = plan("'" + PREFIX + "42'", "null", "null");
    assertThat(ofOneActor).contains("audit_events_actor_at");
    assertNoTableScan(ofOneActor);
    String all = plan("null", "null", "null");
    assertThat(all).contains("audit_events_at");
    assertNoTableScan(all);
    assertNoTableScan(plan("null", "'2026-01-01T01:00:00Z'", "'2026-01-01T02:00:00Z'"));
  }

  private static void assertNoTableScan(String plan) {
    assertThat(plan).as(plan).doesNotContain("Seq Scan");
  }

  /** The plan of {@link AuditLog#page}'s SQL for literal filters, page 3 of 50. */
  private String plan(String actor, String since, String until) {
    String sql = "explain select * from audit_events where " + AuditFilter.MATCH
        .replace(":actor", actor).replace(":action", "null").replace(":outcome", "null").replace(":text", "null")
        .replace(":target", "null").replace(":since", since).replace(":until", until)
        + " order by at desc, id desc limit 50 offset 100";
    return String.join("\n", jdbc.sql(sql).query(String.class).list());
  }
}
