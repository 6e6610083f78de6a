package io.novacron.workflows.migrate;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.transfer.FileMover;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Warm mode: pause and save the guest's state on the source, stream the state file and the disk
 * to the target with the transfer engine (compressed), restore there from the file, resume. The
 * guest keeps its memory but is paused for the whole copy.
 */
final class WarmMove {
  private final Move move;

  WarmMove(Move move) {
    this.move = move;
  }

  Moved run() {
    String vm = move.vm();
    MigrationSource source = move.described;
    MigrationTarget target = move.prepared;
    if (target.statePath() == null) {
      throw ApplicationFailure.newNonRetryableFailure("the agent of node " + move.request.targetNode()
          + " predates warm mode (no state path): update it or move " + vm + " live or cold",
          FailureTypes.INVALID_SPEC);
    }
    move.run.enter("suspend", move.request.sourceNode());
    long start = Workflow.currentTimeMillis();
    // Registered before the save: a save that timed out may still have stopped the guest.
    move.undo.addCompensation(move.source.migration::recoverSource, vm);
    move.stage = move.stage.stopped();
    SavedState saved = move.source.migration(Duration.ofMinutes(10)).saveState(vm);

    move.run.enter("transfer", saved.sizeBytes() + " B state"
        + (source.diskPath() == null ? "" : " + disk") + ", codec " + move.options.transferCodec());
    move.undo.addCompensation(move.target.migration::discardSavedState, vm);
    // The state file is new on the target: nothing to compare against.
    List<Move.File> files = new ArrayList<>();
    files.add(new Move.File("state", saved.path(), target.statePath(), false));
    if (source.diskPath() != null) {
      files.add(new Move.File("disk", source.diskPath(), target.diskPath(), true));
    }
    FileMover.Moved streamed = move.stream(files);

    move.run.enter("restore", move.request.targetNode());
    // Again, so that a rollback stops the target's copy before it restores the source's.
    move.undo.addCompensation(move.target.host::undefineDomain, vm, source.uuid());
    move.stage = move.stage.handOver();
    move.target.migration(Duration.ofMinutes(10)).restoreIncoming(new RestoreRequest(
        vm, source.uuid(), target.statePath(), target.diskPath(), target.destXml()));
    move.run.enter("resume", move.request.targetNode());
    move.target.migration.resume(vm);
    long paused = Workflow.currentTimeMillis() - start;
    return new Moved(new MigrationOutcome(paused, null, false), true, streamed.bytesRaw(), streamed.bytesOnWire());
  }
}
