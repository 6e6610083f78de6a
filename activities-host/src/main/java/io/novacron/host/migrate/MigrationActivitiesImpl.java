package io.novacron.host.migrate;

import io.novacron.host.ActivitySteps;
import io.novacron.host.NodeIdentity;
import io.novacron.host.libvirt.Domains;
import io.novacron.host.libvirt.LibvirtNative;
import io.novacron.host.libvirt.LibvirtSession;
import io.novacron.host.storage.DiskStore;
import io.novacron.host.storage.ImageLibrary;
import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.migrate.CompletedJob;
import io.novacron.workflows.migrate.DomainProbe;
import io.novacron.workflows.migrate.FrozenDisk;
import io.novacron.workflows.migrate.LiveMigrationRequest;
import io.novacron.workflows.migrate.MigrationActivities;
import io.novacron.workflows.migrate.MigrationOutcome;
import io.novacron.workflows.migrate.MigrationSource;
import io.novacron.workflows.migrate.MigrationTarget;
import io.novacron.workflows.migrate.RemoveCopyRequest;
import io.novacron.workflows.migrate.RestoreRequest;
import io.novacron.workflows.migrate.SavedState;
import io.novacron.workflows.migrate.TargetRequest;
import io.temporal.activity.Activity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;

/**
 * The host agent's migration activities: the source's half ({@link OutgoingMigration}), the
 * target's ({@link IncomingMigration}), and what either node does with its copy (probe, remove,
 * merge the overlay, resume, drop a saved state).
 */
public class MigrationActivitiesImpl implements MigrationActivities {

  private final Domains domains;
  private final DiskStore disks;
  private final CopyInspector inspector;
  private final CopyRemover remover;
  private final MigrationNode node;
  private final OutgoingMigration outgoing;
  private final IncomingMigration incoming;

  /**
   * Migration activities whose live migrations do not use TLS for QEMU's stream.
   *
   * @param migrationUri the URI another node's daemon reaches this node's daemon at, peer to peer
   *     (e.g. {@code qemu+tcp://10.77.0.2/system})
   * @param states where warm mode's saved memory states are written and arrive; must lie inside
   *     the agent's data directory, which is all the transfer engine serves
   */
  public MigrationActivitiesImpl(LibvirtSession libvirt, DiskStore disks, ImageLibrary images,
      NodeIdentity identity, Path consoles, Path states, String migrationUri, Clock clock) {
    this(libvirt, disks, images, identity, consoles, states, new MigrationTransport(migrationUri, false), clock);
  }

  /**
   * @param transport the URI another node's daemon reaches this node's daemon at, and whether
   *     this node's outgoing live migrations encrypt QEMU's stream (libvirt's TLS flag)
   * @param states where warm mode's saved memory states are written and arrive; must lie inside
   *     the agent's data directory, which is all the transfer engine serves
   */
  public MigrationActivitiesImpl(LibvirtSession libvirt, DiskStore disks, ImageLibrary images,
      NodeIdentity identity, Path consoles, Path states, MigrationTransport transport, Clock clock) {
    this.domains = new Domains(libvirt, identity.node(), identity.domainType(), consoles);
    this.disks = disks;
    LibvirtNative natives = new LibvirtNative(libvirt.uri());
    Path stateDir = states.toAbsolutePath();
    this.inspector = new CopyInspector(identity.node(), domains, disks, natives, stateDir);
    this.remover = new CopyRemover(identity.node(), domains, disks, inspector);
    this.node = new MigrationNode(libvirt, domains, disks, images, identity, consoles.toAbsolutePath(),
        stateDir, natives, transport, clock, inspector);
    this.outgoing = new OutgoingMigration(node);
    this.incoming = new IncomingMigration(node);
  }

  @Override
  public MigrationSource describeSource(String vmName) {
    return outgoing.describeSource(vmName);
  }

  @Override
  public MigrationOutcome migrateLive(LiveMigrationRequest request) {
    return outgoing.migrateLive(request);
  }

  @Override
  public String abortMigration(String vmName) {
    return outgoing.abortMigration(vmName);
  }

  @Override
  public void forceComplete(String vmName) {
    outgoing.forceComplete(vmName);
  }

  @Override
  public DomainStatus shutdownForMove(String vmName, int graceSeconds) {
    return outgoing.shutdownForMove(vmName, graceSeconds);
  }

  @Override
  public FrozenDisk freezeDisk(String vmName) {
    return outgoing.freezeDisk(vmName);
  }

  @Override
  public DomainStatus recoverSource(String vmName) {
    return outgoing.recoverSource(vmName);
  }

  @Override
  public SavedState saveState(String vmName) {
    return outgoing.saveState(vmName);
  }

  @Override
  public MigrationTarget prepareTarget(TargetRequest request) {
    return incoming.prepareTarget(request);
  }

  @Override
  public void copyDisk(String vmName, String sourceDiskPath) {
    incoming.copyDisk(vmName, sourceDiskPath);
  }

  @Override
  public DomainStatus defineIncoming(String vmName, String uuid, String domainXml) {
    return incoming.defineIncoming(vmName, uuid, domainXml);
  }

  @Override
  public void stackOverlay(String vmName) {
    incoming.stackOverlay(vmName);
  }

  @Override
  public CompletedJob completedJob(String vmName) {
    return incoming.completedJob(vmName);
  }

  @Override
  public DomainStatus restoreIncoming(RestoreRequest request) {
    return incoming.restoreIncoming(request);
  }

  @Override
  public DomainProbe probe(String vmName) {
    return ActivitySteps.call(() -> inspector.probe(vmName));
  }

  @Override
  public DomainProbe removeCopy(RemoveCopyRequest request) {
    return ActivitySteps.call(() -> remover.remove(request));
  }

  @Override
  public void commitOverlay(String vmName) {
    ActivitySteps.run(() -> {
      Domain domain = domains.lookup(vmName);
      if (domain == null) {
        return;
      }
      var context = Activity.getExecutionContext();
      DiskOverlay.commit(domain, disks.overlayPath(vmName),
          (done, total) -> ActivitySteps.keepAlive(context, done + "/" + total));
    });
  }

  @Override
  public DomainStatus resume(String vmName) {
    return ActivitySteps.call(() -> {
      Domain domain = domains.require(vmName);
      if (domain.getInfo().state == DomainState.VIR_DOMAIN_PAUSED) {
        domain.resume();
      }
      return domains.status(domain);
    });
  }

  @Override
  public void discardSavedState(String vmName) {
    ActivitySteps.run(() -> {
      Files.deleteIfExists(node.stateFile(vmName));
    });
  }
}
