package io.novacron.control.provision;

import io.novacron.workflows.provision.NodeCapacity;
import io.novacron.workflows.provision.PlacementPolicy;
import io.novacron.workflows.provision.ProvisionVmRequest;
import io.novacron.workflows.resize.ResizeActivities;
import io.novacron.workflows.resize.VmSize;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A resize's growth is held like a migration's target: a row of {@code migration_holds} (the table
 * of capacity held by a run in flight, which {@code held_capacity} counts), made under the node's
 * row lock that placement and migrations also take, so two runs cannot both pass on the same free
 * capacity. Once the VM has its new size, the VM's own reservation takes it and the hold goes.
 */
@Component
public class ResizeActivitiesImpl implements ResizeActivities {
  private final JdbcClient jdbc;
  private final NodeCapacities capacities;
  private final Clock clock;

  ResizeActivitiesImpl(JdbcClient jdbc, NodeCapacities capacities, Clock clock) {
    this.jdbc = jdbc;
    this.capacities = capacities;
    this.clock = clock;
  }

  @Override
  @Transactional
  public String holdGrowth(String runId, String vmName, String node, VmSize growth) {
    boolean held = jdbc.sql("select exists (select 1 from migration_holds where run_id = :id)")
        .param("id", runId).query(Boolean.class).single();
    if (held) {
      return null;
    }
    jdbc.sql("select name from nodes where name = :node for update")
        .param("node", node).query(String.class).list();
    String refusal = refusal(vmName, node, growth);
    if (refusal != null) {
      return refusal;
    }
    jdbc.sql("""
            insert into migration_holds (run_id, vm_name, node, vcpus, memory_mib, disk_gib, created_at)
            values (:id, :vm, :node, :vcpus, :mem, :disk, :at)""")
        .param("id", runId).param("vm", vmName).param("node", node)
        .param("vcpus", growth.vcpus()).param("mem", growth.memoryMib()).param("disk", growth.diskGib())
        .param("at", Timestamp.from(clock.instant()))
        .update();
    return null;
  }

  /**
   * Why {@code node} cannot take {@code growth} on top of what it holds, by the placement rules
   * (fresh node; memory and disk not overcommitted; vCPUs up to the overcommit ratio), naming what
   * is free; null when it can. Without a lock: the REST API's early answer; the hold checks again.
   */
  public String refusal(String vmName, String node, VmSize growth) {
    List<NodeCapacity> target = capacities.read(node);
    if (target.isEmpty()) {
      return "node '" + node + "' is not known: no host agent has announced it";
    }
    String refusal = PlacementPolicy.refusal(
        new ProvisionVmRequest(vmName, growth.vcpus(), growth.memoryMib(), growth.diskGib(), null, node),
        target.get(0), clock.millis());
    return refusal == null ? null : "node '" + node + "' cannot take the growth of " + vmName + " (+" + growth
        + "): " + refusal + "; ask for less, or free capacity there";
  }

  @Override
  public void releaseGrowth(String runId) {
    jdbc.sql("delete from migration_holds where run_id = :id").param("id", runId).update();
  }

  /** One transaction: the record, the capacity the VM holds and the end of the hold go together. */
  @Override
  @Transactional
  public void recordSize(String runId, String vmName, String uuid, VmSize size) {
    int updated = jdbc.sql("""
            update vms set vcpus = :vcpus, memory_mib = :mem, disk_gib = :disk, run_id = :run, updated_at = now()
            where name = :name and uuid = :uuid""")
        .param("vcpus", size.vcpus()).param("mem", size.memoryMib()).param("disk", size.diskGib())
        .param("run", runId).param("name", vmName).param("uuid", uuid)
        .update();
    if (updated > 0) {
      jdbc.sql("update reservations set vcpus = :vcpus, memory_mib = :mem, disk_gib = :disk where vm_name = :name")
          .param("vcpus", size.vcpus()).param("mem", size.memoryMib()).param("disk", size.diskGib())
          .param("name", vmName)
          .update();
    }
    releaseGrowth(runId);
  }
}
