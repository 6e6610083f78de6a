package io.novacron.workflows.migrate;

import io.novacron.workflows.host.DomainStatus;
import io.temporal.activity.ActivityInterface;

/**
 * The host agent's part of a migration. Every stub is pinned to one node's queue: the source's for
 * {@link #describeSource}, {@link #migrateLive}, {@link #forceComplete} and {@link #recoverSource};
 * the target's for {@link #prepareTarget} and {@link #completedJob}.
 */
@ActivityInterface(namePrefix = "Migration.")
public interface MigrationActivities {
  /**
   * Describes a VM about to leave this node.
   *
   * @throws io.temporal.failure.ApplicationFailure DomainNotRunning when it is absent or not running
   */
  MigrationSource describeSource(String vmName);

  /**
   * Readies this node for an incoming VM: checks that this host's CPU can run what the source
   * host's CPU runs, creates the disk when storage is copied, and rewrites the source's XML to this
   * node's paths. Idempotent: a retry reuses the disk.
   *
   * @throws io.temporal.failure.ApplicationFailure CpuIncompatible, or DomainConflict when a domain
   *     of that name already exists here
   */
  MigrationTarget prepareTarget(TargetRequest request);

  /**
   * Runs the live migration (peer to peer, persistent on the target, undefined on the source) and
   * monitors it every ~0.5 s, heartbeating {@link MigrationProgress}. Applies the completion
   * timeout and stall rule of {@link MigrationPolicy}. On cancellation it aborts the libvirt job.
   * Safe to retry after its agent died: a later attempt re-attaches to the job libvirt still runs
   * (or reports the switch-over that happened meanwhile) and never starts a second migration.
   *
   * @throws io.temporal.failure.ApplicationFailure MigrationFailed (libvirt's message) or
   *     MigrationTimeout (aborted by policy); the VM then still runs here
   */
  MigrationOutcome migrateLive(LiveMigrationRequest request);

  /**
   * Asks a running migration of the VM to complete (nova's force-complete): a migration started
   * with {@code postCopy} switches to post-copy (the guest runs on the target at once and fetches
   * the pages it lacks); otherwise, or if the switch is refused, the guest is paused, so nothing is
   * re-dirtied, the rest copies at once and libvirt resumes the guest on the target. Does nothing
   * when no migration runs.
   */
  void forceComplete(String vmName);

  /**
   * Cold mode, on the source: asks the guest to shut down, waits up to {@code graceSeconds}
   * (heartbeating), then powers it off. The domain stays defined. Succeeds when it is already off.
   */
  DomainStatus shutdownForMove(String vmName, int graceSeconds);

  /**
   * Cold mode, on the target, for runs recorded before cold disks moved with the transfer engine:
   * copies the stopped source disk into the volume {@link #prepareTarget} made
   * ({@code qemu-img convert}). The source path must be readable here (shared or network file
   * system). Idempotent: a retry copies again.
   */
  void copyDisk(String vmName, String sourceDiskPath);

  /**
   * Cold mode, on the target: defines the domain from the prepared XML (not started). A root disk
   * that arrived as a file still names the source node's base image as its backing file; it is
   * first pointed at this node's copy of that image. Succeeds without change when a domain of that
   * name and UUID exists.
   *
   * @throws io.temporal.failure.ApplicationFailure DomainConflict for another domain of that name
   */
  DomainStatus defineIncoming(String vmName, String uuid, String domainXml);

  /**
   * Warm mode, on the source: pauses the guest and saves its memory and device state to a file in
   * this agent's data directory ({@code virDomainSave}); libvirt then stops the guest and keeps
   * it defined, shut off. Idempotent: a retry after a save that succeeded returns the same file.
   *
   * @throws io.temporal.failure.ApplicationFailure DomainNotRunning when the VM neither runs nor
   *     has a saved state here
   */
  SavedState saveState(String vmName);

  /**
   * Warm mode, on the target: defines the domain from the request's XML (if absent), rebases the
   * arrived disk onto this node's copy of its base image when it has one, and restores the saved
   * state with that XML, paused. The state file is consumed. Idempotent: succeeds without change
   * when the domain is already active.
   *
   * @throws io.temporal.failure.ApplicationFailure DomainConflict for another domain of that name
   */
  DomainStatus restoreIncoming(RestoreRequest request);

  /** Resumes a paused domain; succeeds when it already runs. */
  DomainStatus resume(String vmName);

  /** Deletes the VM's saved state file on this node, if any. Idempotent. */
  void discardSavedState(String vmName);

  /**
   * Live mode with pre-copy, on the source: puts an overlay on top of the running VM's root disk
   * (external disk-only snapshot, no snapshot metadata), so the guest's writes go there and the
   * disk below stops changing and can be copied while the guest runs. Idempotent: a VM already
   * writing to its overlay returns it.
   *
   * @throws io.temporal.failure.ApplicationFailure DomainNotRunning when the VM does not run here
   */
  FrozenDisk freezeDisk(String vmName);

  /**
   * Live mode with pre-copy, on the target, once the base image arrived: points it at this node's
   * copy of its own base image when it has one, and creates the overlay on top of it that libvirt
   * mirrors the source's overlay into ({@link MigrationTarget#overlayPath}). Idempotent.
   */
  void stackOverlay(String vmName);

  /**
   * Merges the VM's pre-copy overlay into the disk below it while the guest runs (active block
   * commit, shallow, then pivot) and deletes the overlay. Used on the target after the switch-over
   * and on the source to undo {@link #freezeDisk} in a rollback. Does nothing when the VM has no
   * overlay; a VM that is not running keeps it (it still boots from the chain). Heartbeats.
   */
  void commitOverlay(String vmName);

  /**
   * What this node holds of the VM now: its domain's state and the reason for it, the libvirt job
   * running for it, its files. Read fresh; changes nothing. A migration reads both nodes with it
   * before anything is removed or started.
   */
  DomainProbe probe(String vmName);

  /**
   * On the source: aborts the VM's outgoing migration job if one runs and can still be aborted
   * (not once post-copy has switched the guest over). Never removes anything; the guest keeps
   * running here. Returns what was done, for the run record.
   */
  String abortMigration(String vmName);

  /**
   * Removes this node's copy of the VM (domain, disk, overlay, saved state, console log) after the
   * workflow found the VM running on the other node. Checks its own half again first: a copy that
   * runs here or has a libvirt job is not removed unless {@link RemoveCopyRequest#force}.
   * Idempotent: nothing to remove succeeds.
   *
   * @return what is left here afterwards
   * @throws io.temporal.failure.ApplicationFailure CopyRunning or CopyBusy (nothing removed), or
   *     DomainConflict for a domain of that name with another UUID
   */
  DomainProbe removeCopy(RemoveCopyRequest request);

  /** The statistics libvirt keeps of the last completed incoming or outgoing migration job. */
  CompletedJob completedJob(String vmName);

  /**
   * Rollback at the source: resumes a paused domain; a shut-off one is restored from its saved
   * state when it has one here (warm mode; the file is then consumed), else started. Succeeds when
   * it already runs.
   */
  DomainStatus recoverSource(String vmName);
}
