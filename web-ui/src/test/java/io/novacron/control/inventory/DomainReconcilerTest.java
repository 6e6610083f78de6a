package io.novacron.control.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.control.ControlPlaneTest;
import io.novacron.control.provision.NodeCapacities;
import io.novacron.workflows.node.DomainFact;
import io.novacron.workflows.node.NodeFacts;
import io.novacron.workflows.provision.PlacementPolicy;
import io.novacron.workflows.provision.ProvisionVmRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The inventory follows what nodes' libvirt announce, against real PostgreSQL through the
 * announcement's own activity ({@code recordNode}). Each test has nodes and VMs of its own.
 */
class DomainReconcilerTest extends ControlPlaneTest {
  @Autowired InventoryActivitiesImpl inventory;
  @Autowired NodeCapacities capacities;
  @Autowired JdbcClient jdbc;

  /** Later than every record the tests insert (those are an hour old). */
  private final long t0 = System.currentTimeMillis();

  @Test
  void aVmStoppedOutsideNovaCronIsRecordedShutOffOnceAndKeepsItsCapacity() {
    node("rec-a", 8, 16384);
    vm("rec-web1", "u-rec-web1", "rec-a", "running", 1, 256);

    announce("rec-a", t0 + 1, domain("rec-web1", "u-rec-web1", "shutoff", 1, 256));

    Map<String, Object> row = row("rec-web1");
    assertThat(row.get("state")).isEqualTo("shutoff");
    assertThat(row.get("drift")).isEqualTo("rec-web1: running -> shutoff on rec-a (outside NovaCron)");
    assertThat(row.get("drift_at")).isNotNull();
    assertThat(jdbc.sql("select actor_kind || ' ' || actor || ' ' || outcome || ' ' || detail from audit_events"
            + " where action = 'vm.drift' and target = 'rec-web1'").query(String.class).list())
        .containsExactly("system novacron accepted rec-web1: running -> shutoff on rec-a (outside NovaCron)");
    assertThat(reservedMemory("rec-a")).as("a shut-off VM can be started any time: it keeps its capacity")
        .isEqualTo(256);

    announce("rec-a", t0 + 2, domain("rec-web1", "u-rec-web1", "shutoff", 1, 256));
    announce("rec-a", t0 + 2, domain("rec-web1", "u-rec-web1", "shutoff", 1, 256)); // a retried activity
    assertThat(drifts("rec-web1")).as("the same news again records nothing").isEqualTo(1);
    assertThat(row("rec-web1").get("drift_at")).isEqualTo(row.get("drift_at"));

    announce("rec-a", t0 + 1, domain("rec-web1", "u-rec-web1", "running", 1, 256));
    assertThat(row("rec-web1").get("state")).as("an announcement overtaken by a newer one").isEqualTo("shutoff");
  }

  @Test
  void aVmDestroyedOutsideNovaCronIsMissingWithoutCapacityUntilItReappears() {
    // The tester's report: one vCPU of capacity (four with overcommit), held by a VM long gone.
    node("rec-b", 1, 4096);
    vm("rec-gone", "u-rec-gone", "rec-b", "running", 4, 512);
    ProvisionVmRequest next = new ProvisionVmRequest("rec-next", 1, 128, 1, null, "rec-b");
    assertThat(refusal(next, "rec-b")).contains("needs 1 vCPUs, 0 free");

    announce("rec-b", t0 + 1, 1, 4096);

    assertThat(row("rec-gone").get("state")).as("the row stays").isEqualTo("missing");
    assertThat((String) row("rec-gone").get("drift")).isEqualTo("rec-gone: running -> missing: rec-b has no domain"
        + " with its uuid u-rec-gone and no other node announces one (outside NovaCron)");
    assertThat(reservations("rec-gone")).isZero();
    assertThat(refusal(next, "rec-b")).as("placement counts what really runs").isNull();

    announce("rec-b", t0 + 2, 1, 4096);
    assertThat(drifts("rec-gone")).isEqualTo(1);

    announce("rec-b", t0 + 3, 1, 4096, domain("rec-gone", "u-rec-gone", "running", 4, 512));
    assertThat(row("rec-gone").get("state")).isEqualTo("running");
    assertThat(row("rec-gone").get("drift")).isEqualTo("rec-gone: missing -> running on rec-b (outside NovaCron)");
    assertThat(jdbc.sql("select node from reservations where vm_name = 'rec-gone' and bound").query(String.class)
        .list()).as("its capacity is held again").containsExactly("rec-b");
    assertThat(refusal(next, "rec-b")).contains("needs 1 vCPUs, 0 free");
  }

  @Test
  void aVmMovedOutsideNovaCronGoesWithItsCapacityToTheNodeThatRunsIt() {
    node("rec-c1", 8, 16384);
    vm("rec-mover", "u-rec-mover", "rec-c1", "running", 1, 256);

    // The new node speaks first: while rec-c1 has said nothing since the record, the record stands.
    announce("rec-c2", t0 + 1, domain("rec-mover", "u-rec-mover", "running", 1, 256));
    assertThat(row("rec-mover").get("node")).isEqualTo("rec-c1");

    announce("rec-c1", t0 + 2);

    assertThat(row("rec-mover").get("node")).isEqualTo("rec-c2");
    assertThat(row("rec-mover").get("state")).isEqualTo("running");
    assertThat(row("rec-mover").get("drift")).isEqualTo("rec-mover: moved from rec-c1 to rec-c2 outside NovaCron (running)");
    assertThat(jdbc.sql("select node from reservations where vm_name = 'rec-mover'").query(String.class).single())
        .isEqualTo("rec-c2");
    assertThat(reservedMemory("rec-c1")).isZero();

    announce("rec-c2", t0 + 3, domain("rec-mover", "u-rec-mover", "running", 1, 256));
    announce("rec-c1", t0 + 4);
    assertThat(drifts("rec-mover")).isEqualTo(1);
  }

  @Test
  void aVmMissingFromItsNodeReappearsWithItsCapacityWhereAnotherNodeAnnouncesIt() {
    node("rec-m1", 8, 16384);
    vm("rec-hop", "u-rec-hop", "rec-m1", "running", 2, 512);

    // The old node speaks first and no other node has the VM yet: missing, capacity released.
    announce("rec-m1", t0 + 1);
    assertThat(row("rec-hop").get("state")).isEqualTo("missing");
    assertThat(reservations("rec-hop")).isZero();

    announce("rec-m2", t0 + 2, domain("rec-hop", "u-rec-hop", "paused", 2, 512));

    assertThat(row("rec-hop").get("node")).isEqualTo("rec-m2");
    assertThat(row("rec-hop").get("state")).isEqualTo("paused");
    assertThat(row("rec-hop").get("drift"))
        .isEqualTo("rec-hop: missing -> paused on rec-m2 (last recorded on rec-m1; outside NovaCron)");
    assertThat(reservedMemory("rec-m2")).isEqualTo(512);
    assertThat(drifts("rec-hop")).isEqualTo(2);
  }

  @Test
  void aVmThatARunIsChangingOrWhoseRecordIsNewerThanTheAnnouncementIsLeftAlone() {
    node("rec-s", 8, 16384);
    vm("rec-busy", "u-rec-busy", "rec-s", "running", 1, 128);
    jdbc.sql("insert into runs (id, type, subject, state, phase, started_at, updated_at)"
        + " values ('migrate-rec-busy-1', 'MigrateVm', 'rec-busy', 'ATTENTION', 'verify', now(), now())").update();
    vm("rec-new", "u-rec-new", "rec-s", "running", 1, 128);
    jdbc.sql("update vms set updated_at = now() + interval '1 hour' where name = 'rec-new'").update();
    // A provisioning in flight has defined its domain but not recorded the VM yet.
    jdbc.sql("insert into reservations (id, vm_name, node, vcpus, memory_mib, disk_gib)"
        + " values ('provision-rec-coming-1', 'rec-coming', 'rec-s', 1, 128, 1)").update();

    announce("rec-s", t0 + 1, domain("rec-coming", "u-rec-coming", "shutoff", 1, 128));

    assertThat(row("rec-busy").get("state")).isEqualTo("running");
    assertThat(row("rec-new").get("state")).isEqualTo("running");
    assertThat(jdbc.sql("select count(*) from vms where name = 'rec-coming'").query(Long.class).single()).isZero();
    assertThat(drifts("rec-busy") + drifts("rec-new") + drifts("rec-coming")).isZero();
  }

  @Test
  void aDomainNoRecordKnowsIsDiscoveredHoldingWhatItUsesUntilItGoes() {
    announce("rec-d", t0, 4, 4096);

    announce("rec-d", t0 + 1, 4, 4096, domain("rec-stranger", "u-rec-stranger", "running", 2, 1024));

    Map<String, Object> row = row("rec-stranger");
    assertThat(row).containsEntry("origin", "discovered").containsEntry("state", "running")
        .containsEntry("node", "rec-d").containsEntry("vcpus", 2).containsEntry("memory_mib", 1024L);
    assertThat(row.get("drift"))
        .isEqualTo("rec-stranger: discovered on rec-d (running, 2 vCPUs, 1024 MiB), defined outside NovaCron");
    assertThat(capacities.read("rec-d").get(0).reservedMemoryMib()).isEqualTo(1024);
    assertThat(capacities.read("rec-d").get(0).reservedVcpus()).isEqualTo(2);

    announce("rec-d", t0 + 2, 4, 4096, domain("rec-stranger", "u-rec-stranger", "running", 2, 1024));
    assertThat(drifts("rec-stranger")).isEqualTo(1);

    announce("rec-d", t0 + 3, 4, 4096);
    assertThat(row("rec-stranger").get("state")).isEqualTo("missing");
    assertThat(reservedMemory("rec-d")).isZero();
  }

  @Test
  void aDomainNamedLikeAnotherNodesVmIsANoteOnThatVmNotARecord() {
    node("rec-e1", 8, 16384);
    vm("rec-twin", "u-rec-twin-1", "rec-e1", "running", 1, 128);

    announce("rec-e2", t0 + 1, domain("rec-twin", "u-rec-twin-2", "running", 1, 128));
    announce("rec-e2", t0 + 2, domain("rec-twin", "u-rec-twin-2", "running", 1, 128));

    Map<String, Object> row = row("rec-twin");
    assertThat(row).containsEntry("node", "rec-e1").containsEntry("uuid", "u-rec-twin-1")
        .containsEntry("state", "running");
    assertThat(row.get("drift")).isEqualTo("rec-twin: rec-e2 has another domain of that name (uuid u-rec-twin-2,"
        + " running); the inventory's rec-twin has uuid u-rec-twin-1 (outside NovaCron)");
    assertThat(drifts("rec-twin")).isEqualTo(1);
    assertThat(reservedMemory("rec-e2")).isZero();
  }

  @Test
  void aNodeWhoseAgentAnnouncesNoDomainsIsNotReconciledAndItsOldListIsDropped() {
    node("rec-f", 8, 16384);
    vm("rec-old", "u-rec-old", "rec-f", "running", 1, 128);
    announce("rec-f", t0, domain("rec-old", "u-rec-old", "running", 1, 128));

    inventory.recordNode(facts("rec-f", t0 + 1, 4, 4096, null));

    assertThat(row("rec-old").get("state")).isEqualTo("running");
    assertThat(drifts("rec-old")).isZero();
    assertThat(jdbc.sql("select count(*) from node_domains where node = 'rec-f'").query(Long.class).single()).isZero();
    assertThat(jdbc.sql("select domains_collected_at from nodes where name = 'rec-f'")
        .query((rs, i) -> rs.getTimestamp(1) == null).single()).isTrue();
  }

  private void announce(String node, long collectedAt, DomainFact... domains) {
    announce(node, collectedAt, 8, 16384, domains);
  }

  private void announce(String node, long collectedAt, int cpus, long memoryMib, DomainFact... domains) {
    inventory.recordNode(facts(node, collectedAt, cpus, memoryMib, List.of(domains)));
  }

  private static NodeFacts facts(String node, long collectedAt, int cpus, long memoryMib, List<DomainFact> domains) {
    return new NodeFacts(node, node, "test-cpu", cpus, memoryMib, "test:///default", "Test", "test", 100, 100,
        List.of(), "test", 15, domains, collectedAt);
  }

  private static DomainFact domain(String name, String uuid, String state, int vcpus, long memoryMib) {
    return new DomainFact(name, uuid, state, vcpus, memoryMib);
  }

  /** A node that has announced itself but no domains yet (as before this release). */
  private void node(String name, int cpus, long memoryMib) {
    jdbc.sql("insert into nodes (name, cpus, memory_mib, storage_free_gib, host_seen_at)"
            + " values (:name, :cpus, :mem, 100, now())")
        .param("name", name).param("cpus", cpus).param("mem", memoryMib).update();
  }

  /** A VM made by a run an hour ago, holding its capacity as provisioning leaves it. */
  private void vm(String name, String uuid, String node, String state, int vcpus, long memoryMib) {
    jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib, created_at, updated_at)"
            + " values (:name, :uuid, :node, :state, :vcpus, :mem, 1, now() - interval '1 hour',"
            + " now() - interval '1 hour')")
        .param("name", name).param("uuid", uuid).param("node", node).param("state", state)
        .param("vcpus", vcpus).param("mem", memoryMib).update();
    jdbc.sql("insert into reservations (id, vm_name, node, vcpus, memory_mib, disk_gib, bound)"
            + " values (:id, :name, :node, :vcpus, :mem, 1, true)")
        .param("id", "provision-" + name).param("name", name).param("node", node)
        .param("vcpus", vcpus).param("mem", memoryMib).update();
  }

  private Map<String, Object> row(String vm) {
    return jdbc.sql("select * from vms where name = :name").param("name", vm).query().singleRow();
  }

  private long drifts(String vm) {
    return jdbc.sql("select count(*) from audit_events where action = 'vm.drift' and target = :vm")
        .param("vm", vm).query(Long.class).single();
  }

  private long reservations(String vm) {
    return jdbc.sql("select count(*) from reservations where vm_name = :vm").param("vm", vm).query(Long.class).single();
  }

  private long reservedMemory(String node) {
    return jdbc.sql("select coalesce(sum(memory_mib), 0) from reservations where node = :node")
        .param("node", node).query(Long.class).single();
  }

  private String refusal(ProvisionVmRequest request, String node) {
    return PlacementPolicy.refusal(request, capacities.read(node).get(0), System.currentTimeMillis());
  }
}
