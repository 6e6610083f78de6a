package io.novacron.control.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.control.ControlPlaneTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Which VMs the dashboard flags, against real PostgreSQL (other tests' rows share it: names are this test's own). */
class VmAttentionTest extends ControlPlaneTest {
  @Autowired VmAttention attention;
  @Autowired JdbcClient jdbc;

  @Test
  void missingVmsAndVmsARunWaitsAboutNeedAttentionOthersDoNot() {
    jdbc.sql("insert into nodes (name, host_seen_at) values ('att-a', now())").update();
    jdbc.sql("""
        insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib) values
            ('att-gone', 'u1', 'att-a', 'missing', 1, 64, 1),
            ('att-stuck', 'u2', 'att-a', 'running', 1, 64, 1),
            ('att-both', 'u3', 'att-a', 'missing', 1, 64, 1),
            ('att-fine', 'u4', 'att-a', 'shutoff', 1, 64, 1)""").update();
    jdbc.sql("""
        insert into runs (id, type, subject, state, phase, started_at, updated_at) values
            ('migrate-att-stuck-1', 'MigrateVm', 'att-stuck', 'ATTENTION', 'verify', now(), now()),
            ('migrate-att-both-1', 'MigrateVm', 'att-both', 'ATTENTION', 'verify', now(), now()),
            ('migrate-att-fine-1', 'MigrateVm', 'att-fine', 'FAILED', 'failed', now(), now())""").update();

    Map<String, VmAttention.Need> needs = attention.byVm();

    assertThat(needs).doesNotContainKey("att-fine");
    assertThat(needs.get("att-gone")).isEqualTo(new VmAttention.Need("att-gone", true, List.of()));
    assertThat(needs.get("att-stuck")).isEqualTo(new VmAttention.Need("att-stuck", false, List.of("migrate-att-stuck-1")));
    assertThat(needs.get("att-both").reason())
        .isEqualTo("missing: no node announces its domain; run migrate-att-both-1 waits for an operator");
  }
}
