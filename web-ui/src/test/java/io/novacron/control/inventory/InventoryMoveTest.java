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

  @Test
  void aMigrationTargetIsRefusedWhenUnknownStaleWithoutTheImageOrTooSmall() {
    jdbc.sql("""
        insert into nodes (name, cpus, memory_mib, storage_free_gib, images, host_announce_interval_s, host_seen_at)
        values ('cap-src', 4, 4096, 100, 'tiny', 30, now()),
               ('cap-roomy', 4, 4096, 100, 'tiny', 30, now()),
               ('cap-full', 4, 1024, 100, 'tiny', 30, now()),
               ('cap-stale', 4, 4096, 100, 'tiny', 30, now() - interval '10 minutes'),
               ('cap-bare', 4, 4096, 100, '', 30, now())""").update();
    jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib, image, disk_path) "
        + "values ('sized', 'u-11', 'cap-src', 'running', 2, 2048, 10, 'tiny', '/a/sized.qcow2')").update();
    // Another VM already holds half of cap-full's memory.
    jdbc.sql("insert into reservations (id, vm_name, node, vcpus, memory_mib, disk_gib, bound) "
        + "values ('run-other', 'other', 'cap-full', 1, 512, 1, true)").update();

    assertThat(inventory.migrationTargetRefusal("sized", "cap-roomy")).isNull();
    assertThat(inventory.migrationTargetRefusal("sized", "cap-full"))
        .contains("cap-full").contains("needs 2048 MiB memory, 512 MiB free");
    assertThat(inventory.migrationTargetRefusal("sized", "cap-stale")).contains("stale");
    assertThat(inventory.migrationTargetRefusal("sized", "cap-bare")).contains("has no image 'tiny'");
    assertThat(inventory.migrationTargetRefusal("sized", "cap-nowhere")).contains("is not known");
    // A VM made outside NovaCron has no known size: the agents' checks decide.
    assertThat(inventory.migrationTargetRefusal("stranger", "cap-full")).isNull();
  }
}
