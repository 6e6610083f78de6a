package io.novacron.workflows.migrate;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.lenient;

import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.host.HostActivities;

/**
 * What a mocked node holds of the test VM, as its agent's {@code probe} reports it, changed by
 * the steps a real agent would change it with (remove, recover, resume, start). Tests move it
 * along with the steps they script (a live migration that completes leaves the source's disk and
 * runs the guest on the target).
 */
final class NodeState {
  static final VmFiles DISK = new VmFiles(true, false, false, true);

  private final String node;
  private final String vm;
  private final String uuid;
  private String state = DomainProbe.ABSENT;
  private String reason = "";
  private String job;
  private VmFiles files = VmFiles.NONE;

  NodeState(String node, String vm, String uuid) {
    this.node = node;
    this.vm = vm;
    this.uuid = uuid;
  }

  synchronized DomainProbe probe() {
    return new DomainProbe(node, vm, DomainProbe.ABSENT.equals(state) ? null : uuid, state, reason, job, files);
  }

  synchronized NodeState set(String state, String reason, String job, VmFiles files) {
    this.state = state;
    this.reason = reason;
    this.job = job;
    this.files = files;
    return this;
  }

  /** The guest runs here from its disk. */
  NodeState runs() {
    return set("running", "booted", null, DISK);
  }

  /** The guest left by live migration: the domain is gone, its disk and console log stay. */
  NodeState left() {
    return set(DomainProbe.ABSENT, "", null, DISK);
  }

  /** Nothing of the VM here. */
  NodeState cleared() {
    return set(DomainProbe.ABSENT, "", null, VmFiles.NONE);
  }

  /** The target of a migration in flight: paused, libvirt's incoming job. */
  NodeState incoming() {
    return set("paused", "migration", DomainProbe.MIGRATION_IN, DISK);
  }

  /** The source of a migration in flight. */
  NodeState migratingOut() {
    return set("running", "booted", DomainProbe.MIGRATION_OUT, DISK);
  }

  /** Shut down by cold mode. */
  NodeState shutOff() {
    return set("shutoff", "shutdown", null, DISK);
  }

  /** Saved by warm mode: shut off, its memory in the saved state file. */
  NodeState saved() {
    return set("shutoff", "saved", null, new VmFiles(true, false, true, true));
  }

  /** Defined, not running (cold mode's target after the define, warm's after a failed restore). */
  NodeState defined() {
    return set("shutoff", "unknown", null, DISK);
  }

  synchronized VmFiles files() {
    return files;
  }

  synchronized boolean isRunning() {
    return "running".equals(state);
  }

  /**
   * Answers the mocks' probe, removal and recovery calls from this state. Lenient: not every test
   * reaches every call.
   */
  NodeState wire(MigrationActivities migration, HostActivities host) {
    lenient().when(migration.probe(vm)).thenAnswer(call -> probe());
    lenient().when(migration.removeCopy(any())).thenAnswer(call -> cleared().probe());
    // Brought back from where it stopped: its files stay as they were (an overlay included).
    lenient().when(migration.recoverSource(vm)).thenAnswer(call -> status(set("running", "unpaused", null, files())));
    lenient().when(migration.resume(vm)).thenAnswer(call -> status(set("running", "unpaused", null, files())));
    lenient().when(migration.abortMigration(anyString())).thenReturn("aborted");
    lenient().when(host.startDomain(vm)).thenAnswer(call -> status(runs()));
    lenient().when(host.stopDomain(vm)).thenAnswer(call -> status(set("shutoff", "destroyed", null, files())));
    return this;
  }

  private DomainStatus status(NodeState n) {
    DomainProbe p = n.probe();
    return new DomainStatus(vm, p.uuid(), p.state(), "qemu", null);
  }
}
