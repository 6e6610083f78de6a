package io.novacron.control.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.control.ControlPlaneTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
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

  @Test
  void aMigrationHoldsItsTargetsCapacityUntilReleasedAndRacingMovesCannotShareIt() throws Exception {
    // 4096 MiB on the target: room for exactly two of the eight 2048 MiB VMs that race to it.
    jdbc.sql("""
        insert into nodes (name, cpus, memory_mib, storage_free_gib, images, host_announce_interval_s, host_seen_at)
        values ('hold-src', 64, 65536, 1000, 'tiny', 30, now()),
               ('hold-dst', 64, 4096, 1000, 'tiny', 30, now())""").update();
    int moves = 8;
    for (int i = 0; i < moves; i++) {
      jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib, image, disk_path) "
          + "values (:n, :n, 'hold-src', 'running', 1, 2048, 1, 'tiny', '/a/x.qcow2')").param("n", "hold-" + i).update();
    }
    ExecutorService pool = Executors.newFixedThreadPool(moves);
    List<Future<String>> refusals = new ArrayList<>();
    for (int i = 0; i < moves; i++) {
      String vm = "hold-" + i;
      refusals.add(pool.submit(() -> String.valueOf(inventory.reserveMigrationTarget("run-" + vm, vm, "hold-dst"))));
    }
    List<String> results = new ArrayList<>();
    for (Future<String> refusal : refusals) {
      results.add(refusal.get());
    }
    pool.shutdown();
    assertThat(results).filteredOn("null"::equals).hasSize(2);
    assertThat(results).filteredOn(r -> r.contains("needs 2048 MiB memory, 0 MiB free")).hasSize(moves - 2);

    List<String> holders = jdbc.sql("select run_id from migration_holds where node = 'hold-dst' order by run_id")
        .query(String.class).list();
    assertThat(holders).hasSize(2);
    // A retried reserve finds its own hold: still two, and no refusal for the holder.
    String holder = holders.get(0);
    assertThat(inventory.reserveMigrationTarget(holder, holder.substring("run-".length()), "hold-dst")).isNull();
    assertThat(jdbc.sql("select count(*) from migration_holds where node = 'hold-dst'").query(Long.class).single()).isEqualTo(2);

    inventory.releaseMigrationTarget(holder);
    inventory.releaseMigrationTarget(holder); // idempotent
    String loser = IntStream.range(0, moves).mapToObj(i -> "hold-" + i)
        .filter(vm -> !holders.contains("run-" + vm)).findFirst().orElseThrow();
    assertThat(inventory.reserveMigrationTarget("run-again-" + loser, loser, "hold-dst"))
        .as("the released capacity is free for the next move").isNull();
    String third = IntStream.range(0, moves).mapToObj(i -> "hold-" + i)
        .filter(vm -> !holders.contains("run-" + vm) && !vm.equals(loser)).findFirst().orElseThrow();
    assertThat(inventory.reserveMigrationTarget("run-late-" + third, third, "hold-dst"))
        .as("full again once the freed capacity is taken").contains("0 MiB free");
  }

  @Test
  void aHoldLeftByATerminatedRunStopsCountingAfterADay() {
    jdbc.sql("insert into nodes (name, cpus, memory_mib, storage_free_gib, host_seen_at) "
        + "values ('stale-hold', 8, 4096, 100, now())").update();
    jdbc.sql("insert into migration_holds (run_id, vm_name, node, vcpus, memory_mib, disk_gib, created_at) values "
        + "('run-fresh', 'a', 'stale-hold', 1, 1024, 1, now()), "
        + "('run-gone', 'b', 'stale-hold', 1, 2048, 1, now() - interval '25 hours')").update();
    assertThat(jdbc.sql("select sum(memory_mib) from held_capacity where node = 'stale-hold'")
        .query(Long.class).single()).isEqualTo(1024);
  }
}
