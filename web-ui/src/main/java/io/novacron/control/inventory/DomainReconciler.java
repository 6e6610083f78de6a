package io.novacron.control.inventory;

import io.novacron.control.run.RunStates;
import io.novacron.workflows.node.DomainFact;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Makes the VM inventory follow what a node's libvirt has (issue 13: VMs destroyed or stopped
 * outside NovaCron stayed "running" and kept their capacity). Modelled on Nova's
 * {@code _sync_power_states}: the hypervisor is the truth for a VM's state, a VM that something
 * is changing is left alone, and every difference is written down.
 *
 * <p>Run inside {@code recordNode}'s transaction, whose upsert of the node row holds that row's
 * lock, so placement on the node (which takes the same lock) sees all of it or none of it. The
 * rules, for an announcement of node N read at time T:
 *
 * <ul>
 *   <li>A VM with a run in flight (RUNNING, QUEUED, ATTENTION), or whose record changed after T,
 *       is skipped: the run, or what it wrote, is newer than the announcement.
 *   <li>A VM recorded on N whose uuid N announces takes the domain's state.
 *   <li>A VM recorded on N whose uuid N does not announce moved, if a fresh node announces that
 *       uuid (the VM and its capacity go there), or else is {@code missing}: the row stays, its
 *       capacity is released.
 *   <li>A domain of N that a VM recorded on another node M has by uuid: a missing VM reappears on
 *       N (state and capacity back); one M no longer announces since its record changed moved to
 *       N. While M still announces it, the record stands.
 *   <li>A domain of N no VM has by uuid or name is recorded {@code discovered}, holding its vCPUs
 *       and memory, so that placement counts what really runs there. One whose name a VM with
 *       another uuid has is a note on that VM, not a record; one whose name a run in flight or a
 *       reservation holds is a provisioning under way and is left to it.
 * </ul>
 *
 * Evidence from another node counts only when that node read its domains after the VM's record
 * last changed ({@link NodeDomains}); an older list says nothing about it. Each change is recorded once with {@link
 * DriftRecorder}, so an identical announcement records nothing new.
 */
@Component
class DomainReconciler {
  static final String MISSING = VmRow.MISSING;
  static final String DISCOVERED = "discovered";
  private static final String VM_COLUMNS =
      "select name, uuid, node, state, vcpus, memory_mib, disk_gib, updated_at, drift from vms";

  private final JdbcClient jdbc;
  private final NodeDomains lists;
  private final DriftRecorder drifts;
  private final Clock clock;

  DomainReconciler(JdbcClient jdbc, NodeDomains lists, DriftRecorder drifts, Clock clock) {
    this.jdbc = jdbc;
    this.lists = lists;
    this.drifts = drifts;
    this.clock = clock;
  }

  /** A VM record, as far as reconciling needs it. */
  private record Vm(String name, String uuid, String node, String state, int vcpus, long memoryMib, long diskGib,
      long updatedAtMillis, String drift) {
    boolean missing() {
      return MISSING.equals(state);
    }
  }

  /** One announcement being reconciled. */
  private record Announcement(String node, long collectedAtMillis, Map<String, DomainFact> byUuid,
      Set<String> busy) {
    String requestId() {
      return "announce-" + node + "-" + collectedAtMillis;
    }

    /** Whether the VM is left alone: a run changes it, or its record is newer than this list. */
    boolean skips(Vm vm) {
      return busy.contains(vm.name()) || vm.updatedAtMillis() > collectedAtMillis;
    }
  }

  /**
   * Records {@code domains} as node's latest and reconciles the inventory with them. With
   * {@code domains} null (an agent that does not announce them) the node's earlier list is dropped
   * and nothing is reconciled. An announcement read no later than the last one recorded (a retry,
   * or one overtaken) changes nothing.
   */
  void reconcile(String node, List<DomainFact> domains, long collectedAtMillis) {
    if (domains == null) {
      lists.forget(node);
      return;
    }
    // libvirt prints UUIDs in lower case; a record written from elsewhere might not.
    domains = domains.stream().map(d -> new DomainFact(d.name(), lower(d.uuid()), d.state(), d.vcpus(),
        d.memoryMib())).toList();
    if (!lists.replace(node, domains, collectedAtMillis)) {
      return;
    }
    Announcement here = new Announcement(node, collectedAtMillis,
        domains.stream().collect(Collectors.toMap(DomainFact::uuid, Function.identity(), (a, b) -> a)),
        busySubjects());
    Set<String> recordedHere = new HashSet<>();
    for (Vm vm : vmsOn(node)) {
      recordedHere.add(vm.uuid());
      if (!here.skips(vm)) {
        follow(vm, here);
      }
    }
    for (DomainFact domain : domains) {
      if (!recordedHere.contains(domain.uuid())) {
        place(domain, here);
      }
    }
  }

  /** A VM recorded on the announcing node. */
  private void follow(Vm vm, Announcement here) {
    DomainFact domain = here.byUuid().get(vm.uuid());
    if (domain != null) {
      if (!domain.state().equals(vm.state())) {
        if (vm.missing()) {
          hold(vm, here.node());
        }
        update(vm, here.node(), domain.state(), here);
        drifts.record(vm.name(), vm.name() + ": " + vm.state() + " -> " + domain.state() + " on " + here.node()
            + " (outside NovaCron)", here.requestId());
      }
      return;
    }
    Optional<NodeDomains.Sighting> elsewhere = lists.freshSighting(vm.uuid(), vm.node(), vm.updatedAtMillis());
    if (elsewhere.isPresent()) {
      moveTo(vm, elsewhere.get().node(), elsewhere.get().state(), here);
    } else if (!vm.missing()) {
      update(vm, vm.node(), MISSING, here);
      release(vm);
      drifts.record(vm.name(), vm.name() + ": " + vm.state() + " -> missing: " + here.node()
          + " has no domain with its uuid " + vm.uuid() + " and no other node announces one (outside NovaCron)",
          here.requestId());
    }
  }

  /** A domain of the announcing node that no VM recorded there has. */
  private void place(DomainFact domain, Announcement here) {
    Optional<Vm> owner = oldestVm("lower(uuid) = :value", domain.uuid());
    if (owner.isPresent()) {
      Vm vm = owner.get();
      if (!here.skips(vm) && (vm.missing() || lists.dropped(vm.node(), vm.uuid(), vm.updatedAtMillis()))) {
        moveTo(vm, here.node(), domain.state(), here);
      }
      return;
    }
    Optional<Vm> namesake = oldestVm("name = :value", domain.name());
    if (namesake.isPresent()) {
      Vm vm = namesake.get();
      String note = vm.name() + ": " + here.node() + " has another domain of that name (uuid " + domain.uuid()
          + ", " + domain.state() + "); the inventory's " + vm.name() + " has uuid " + vm.uuid()
          + " (outside NovaCron)";
      if (!here.skips(vm) && !note.equals(vm.drift())) {
        drifts.record(vm.name(), note, here.requestId());
      }
      return;
    }
    if (here.busy().contains(domain.name()) || reserved(domain.name())) {
      return; // a provisioning defined it and records it itself
    }
    discover(domain, here);
  }

  /** The VM now runs on {@code node}: the record and its capacity go there (back, for a missing one). */
  private void moveTo(Vm vm, String node, String state, Announcement here) {
    update(vm, node, state, here);
    if (vm.missing()) {
      hold(vm, node);
      drifts.record(vm.name(), vm.name() + ": missing -> " + state + " on " + node + " (last recorded on "
          + vm.node() + "; outside NovaCron)", here.requestId());
    } else {
      jdbc.sql("update reservations set node = :node where vm_name = :name")
          .param("name", vm.name()).param("node", node).update();
      drifts.record(vm.name(), vm.name() + ": moved from " + vm.node() + " to " + node + " outside NovaCron ("
          + state + ")", here.requestId());
    }
  }

  private void discover(DomainFact domain, Announcement here) {
    jdbc.sql("""
            insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib, origin, updated_at)
            values (:name, :uuid, :node, :state, :vcpus, :mem, 0, :origin, :at)""")
        .param("name", domain.name()).param("uuid", domain.uuid()).param("node", here.node())
        .param("state", domain.state()).param("vcpus", domain.vcpus()).param("mem", domain.memoryMib())
        .param("origin", DISCOVERED).param("at", new Timestamp(here.collectedAtMillis()))
        .update();
    hold(new Vm(domain.name(), domain.uuid(), here.node(), domain.state(), domain.vcpus(), domain.memoryMib(), 0,
        here.collectedAtMillis(), null), here.node());
    drifts.record(domain.name(), domain.name() + ": discovered on " + here.node() + " (" + domain.state() + ", "
        + domain.vcpus() + " vCPUs, " + domain.memoryMib() + " MiB), defined outside NovaCron", here.requestId());
  }

  /** The record says what the announcement showed, as of when it was read. */
  private void update(Vm vm, String node, String state, Announcement here) {
    jdbc.sql("update vms set node = :node, state = :state, updated_at = :at where name = :name")
        .param("name", vm.name()).param("node", node).param("state", state)
        .param("at", new Timestamp(here.collectedAtMillis()))
        .update();
  }

  /**
   * The VM's capacity, held on {@code node} and bound to it like a provisioned VM's. A shut-off
   * VM keeps it (it can be started any time); only a missing VM holds none.
   */
  private void hold(Vm vm, String node) {
    jdbc.sql("""
            insert into reservations (id, vm_name, node, vcpus, memory_mib, disk_gib, bound, created_at)
            values (:id, :name, :node, :vcpus, :mem, :disk, true, :at)
            on conflict (vm_name) do update set node = excluded.node, bound = true""")
        .param("id", "inventory-" + vm.name() + "-" + clock.millis()).param("name", vm.name()).param("node", node)
        .param("vcpus", vm.vcpus()).param("mem", vm.memoryMib()).param("disk", vm.diskGib())
        .param("at", Timestamp.from(clock.instant()))
        .update();
  }

  private void release(Vm vm) {
    jdbc.sql("delete from reservations where vm_name = :name and bound").param("name", vm.name()).update();
  }

  /** The subjects (VM names) of runs that have not ended. */
  private Set<String> busySubjects() {
    return new HashSet<>(jdbc.sql("select distinct subject from runs where subject is not null and "
        + RunStates.ACTIVE_SQL).query(String.class).list());
  }

  private boolean reserved(String vmName) {
    return jdbc.sql("select exists (select 1 from reservations where vm_name = :name)")
        .param("name", vmName).query(Boolean.class).single();
  }

  private List<Vm> vmsOn(String node) {
    return jdbc.sql(VM_COLUMNS + " where node = :node order by name").param("node", node).query(DomainReconciler::vm)
        .list();
  }

  /** The oldest VM record that meets {@code condition} (a constant, with {@code :value}). */
  private Optional<Vm> oldestVm(String condition, String value) {
    return jdbc.sql(VM_COLUMNS + " where " + condition + " order by created_at, name limit 1")
        .param("value", value).query(DomainReconciler::vm).optional();
  }

  private static Vm vm(ResultSet rs, int row) throws SQLException {
    return new Vm(rs.getString("name"), lower(rs.getString("uuid")), rs.getString("node"), rs.getString("state"),
        rs.getInt("vcpus"), rs.getLong("memory_mib"), rs.getLong("disk_gib"),
        rs.getTimestamp("updated_at").getTime(), rs.getString("drift"));
  }

  private static String lower(String uuid) {
    return uuid == null ? null : uuid.toLowerCase(Locale.ROOT);
  }
}
