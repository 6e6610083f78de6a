package io.novacron.workflows.migrate;

import io.novacron.workflows.run.RunTracker;
import io.novacron.workflows.transfer.CloseReceiveRequest;
import io.novacron.workflows.transfer.FileMover;
import io.novacron.workflows.transfer.TransferActivities;
import io.novacron.workflows.transfer.TransferOptions;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * One move of one VM as its steps share it: the request, both nodes' stubs, what the source
 * described and the target prepared, how far the move got, and its compensations. The
 * compensations live here, in one place: {@link #undo}, the saga runs recorded before the
 * settlement replay (each step registers its undo before the call, since a timed-out call may
 * have done it); {@link #receives}, the aborts of the target's open receives, which every newer
 * run runs before it settles. Workflow code only.
 */
final class Move {
  final MigrateVmRequest request;
  final MigrationOptions options;
  final RunTracker run;
  final NodeSteps source;
  final NodeSteps target;
  final Saga undo = new Saga(new Saga.Options.Builder().setContinueWithError(true).build());
  final Saga receives = new Saga(new Saga.Options.Builder().setContinueWithError(true).build());
  /** What {@code Migration.DescribeSource} said; set by the check. */
  MigrationSource described;
  /** What {@code Migration.PrepareTarget} answered; set once prepared. */
  MigrationTarget prepared;
  /** How far the move got, for the settlement. */
  MoveStage stage;
  /** prepareTarget was called: from then on the target may hold files of the VM. */
  boolean targetTouched;
  /** Live mode pre-copies the disk with the transfer engine (decided when the target is prepared). */
  boolean precopy;

  Move(MigrateVmRequest request, RunTracker run) {
    this.request = request;
    this.options = request.resolvedOptions();
    this.run = run;
    this.source = new NodeSteps(request.sourceNode());
    this.target = new NodeSteps(request.targetNode());
  }

  String vm() {
    return request.vmName();
  }

  MigrationMode mode() {
    return request.mode() == null ? MigrationMode.LIVE : request.mode();
  }

  /** A file of this move: from a path on the source to a path on the target. */
  record File(String what, String sourcePath, String targetPath, boolean delta) {}

  /**
   * Streams the files from the source's agent to the target's with the transfer engine, all at
   * once, compressed with the run's codec and capped at its bandwidth per stream.
   */
  FileMover.Moved stream(List<File> files) {
    TransferOptions codec = TransferOptions.defaults().withCodec(options.transferCodec());
    if (options.bandwidthMiBps() > 0) {
      // The cap applies to each stream, as on the wire.
      codec = codec.withBandwidthCap(options.bandwidthMiBps() * 1024L * 1024L);
    }
    TransferActivities receiver = target.receiver();
    FileMover mover = new FileMover(receiver, source.sender(), abort -> {
      undo.addCompensation(receiver::closeReceive, abort);
      receives.addCompensation(receiver::closeReceive, abort);
    }, () -> Workflow.getVersion("migrate-reopen-receive", Workflow.DEFAULT_VERSION, 1) >= 1);
    // All ids first, then the receives: ids and activity ids draw from the same replayed random
    // sequence, and recorded histories drew them in this order.
    List<FileMover.File> moves = new ArrayList<>();
    for (File file : files) {
      moves.add(new FileMover.File("migrate-" + vm() + "-" + file.what() + "-" + Workflow.randomUUID(),
          file.sourcePath(), request.targetNode(), file.targetPath(),
          file.delta() ? codec : codec.withDelta(false), null));
    }
    return mover.move(moves);
  }

  /** Abort registration, for a caller that opens a receive itself. */
  void abortLater(TransferActivities receiver, CloseReceiveRequest abort) {
    undo.addCompensation(receiver::closeReceive, abort);
    receives.addCompensation(receiver::closeReceive, abort);
  }
}
