package io.novacron.workflows.migrate;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.run.FailureReason;
import io.novacron.workflows.transfer.FileMover;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

/**
 * Cold mode: shut the guest down on the source, stream its disk to the target with the transfer
 * engine (compressed, resumable; no storage shared between the nodes), define and start it there.
 * Runs recorded before the transfer engine carried cold disks had the target copy the source's
 * path, which needs storage both nodes can read.
 */
final class ColdMove {
  private final Move move;

  ColdMove(Move move) {
    this.move = move;
  }

  Moved run() {
    String vm = move.vm();
    MigrationSource source = move.described;
    long start = Workflow.currentTimeMillis();
    move.run.enter("shutdown", move.request.sourceNode());
    move.undo.addCompensation(move.source.migration::recoverSource, vm);
    MigrationActivities waiting = move.source.migration(
        Duration.ofSeconds(move.options.shutdownTimeoutSeconds()).plus(Duration.ofMinutes(2)));
    move.stage = move.stage.stopped();
    waiting.shutdownForMove(vm, move.options.shutdownTimeoutSeconds());
    FileMover.Moved streamed = null;
    if (source.diskPath() != null) {
      if (Workflow.getVersion("cold-transfer-engine", Workflow.DEFAULT_VERSION, 1) >= 1) {
        move.run.enter("transfer", source.diskCapacityBytes() + " B disk, codec " + move.options.transferCodec());
        streamed = move.stream(List.of(new Move.File("disk", source.diskPath(), move.prepared.diskPath(), true)));
      } else {
        move.run.enter("copy-disk", source.diskCapacityBytes() + " B");
        move.target.migration(Duration.ofMinutes(30)).copyDisk(vm, source.diskPath());
      }
    }
    move.run.enter("start-on-target", move.request.targetNode());
    // Again, so that a rollback stops the target's copy before it starts the source's.
    move.undo.addCompensation(move.target.host::undefineDomain, vm, source.uuid());
    move.stage = move.stage.handOver();
    move.target.migration.defineIncoming(vm, source.uuid(), move.prepared.destXml());
    move.target.host.startDomain(vm);
    try {
      move.target.verify.verifyRunning(vm);
    } catch (ActivityFailure e) {
      if (MigrateVmWorkflowImpl.settles() && FailureTypes.DOMAIN_NOT_RUNNING.equals(MoveEnding.failureType(e))) {
        // The copy did not come up there: power it off, so that the source can start again
        // without two copies running at once; the settlement then brings the source back.
        move.run.enter("start-on-target", vm + " did not come up on " + move.request.targetNode()
            + "; powering that copy off: " + FailureReason.of(e));
        stopQuietly(vm);
      }
      throw e;
    }
    return new Moved(new MigrationOutcome(Workflow.currentTimeMillis() - start, null, false), true,
        streamed == null ? -1 : streamed.bytesRaw(), streamed == null ? -1 : streamed.bytesOnWire());
  }

  private void stopQuietly(String vm) {
    try {
      move.target.host.stopDomain(vm);
    } catch (ActivityFailure e) {
      Workflow.getLogger(ColdMove.class).warn("{} not powered off: {}", vm, FailureReason.of(e));
    }
  }
}
