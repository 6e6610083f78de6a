package io.novacron.control.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.novacron.control.inventory.DownNodes;
import io.novacron.control.inventory.VmRow;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code novacron_vms_without_running_copy}: VMs that should run and that no live node runs. As the
 * inventory defines it: a VM {@value VmRow#MISSING} (no node announces its domain; the dashboard
 * flags it as needing attention) or a VM last recorded {@code running} on a node that is down
 * ({@link DownNodes}: nobody can tell whether it still runs, and nothing restarts it elsewhere).
 * A VM an operator stopped ({@code shutoff}) is not counted.
 */
@Component
class VmGauges implements MeterBinder {
  private final JdbcClient jdbc;
  private final DownNodes downNodes;

  VmGauges(JdbcClient jdbc, DownNodes downNodes) {
    this.jdbc = jdbc;
    this.downNodes = downNodes;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("novacron.vms.without.running.copy", this::count)
        .description("VMs missing from every node, or recorded running on a node that is down")
        .register(registry);
  }

  long count() {
    Set<String> down = downNodes.now();
    if (down.isEmpty()) {
      return jdbc.sql("select count(*) from vms where state = :missing").param("missing", VmRow.MISSING)
          .query(Long.class).single();
    }
    return jdbc.sql("select count(*) from vms where state = :missing or (state = 'running' and node in (:down))")
        .param("missing", VmRow.MISSING).param("down", down)
        .query(Long.class).single();
  }
}
