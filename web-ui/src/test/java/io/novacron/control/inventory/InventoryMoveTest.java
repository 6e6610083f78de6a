package io.novacron.control.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.control.ControlPlaneTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A migrated VM's record and its held capacity follow it to the new node. */
class InventoryMoveTest extends ControlPlaneTest {
  @Autowired InventoryActivitiesImpl inventory;
  @Autowired JdbcClient jdbc;

  @Test
  void aMovedVmAndItsReservationNowBelongToTheTargetNode() {
    jdbc.sql("insert into nodes (name, host_seen_at) values ('move-a', now()), ('move-b', now())").update();
    jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib, disk_path) "
        + "values ('mover', 'u-9', 'move-a', 'running', 1, 128, 1, '/a/mover.qcow2')").update();
    jdbc.sql("insert into reservations (id, vm_name, node, vcpus, memory_mib, disk_gib, bound) "
        + "values ('run-mover', 'mover', 'move-a', 1, 128, 1, true)").update();

    inventory.moveVm("mover", "move-b", "/b/mover.qcow2");
    inventory.moveVm("mover", "move-b", "/b/mover.qcow2"); // a retry changes nothing more

    assertThat(jdbc.sql("select node || ' ' || disk_path from vms where name = 'mover'").query(String.class).single())
        .isEqualTo("move-b /b/mover.qcow2");
    assertThat(jdbc.sql("select node from reservations where vm_name = 'mover'").query(String.class).single())
        .isEqualTo("move-b");
  }

  @Test
  void theInventoryNamesTheNodeAVmRunsOnAndNullForAnUnknownVm() {
    jdbc.sql("insert into nodes (name, host_seen_at) values ('where-a', now())").update();
    jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib, disk_path) "
        + "values ('placed', 'u-10', 'where-a', 'running', 1, 128, 1, '/a/placed.qcow2')").update();

    assertThat(inventory.vmNode("placed")).isEqualTo("where-a");
    assertThat(inventory.vmNode("nowhere")).isNull();
  }
}
