package io.novacron.workflows.migrate;

import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.image.ImageSource;
import io.novacron.workflows.node.InventoryActivities;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * The check's read-only questions, asked while the run waits for its migration slot: the source's
 * description, the target's domain, the target's base image. None touches a node or holds
 * anything; answers older than {@link #FRESH} when the slot is granted are asked again, since the
 * VM may have changed while the run was queued. Workflow code only.
 *
 * @param askedAt workflow time of the questions
 */
record CheckAnswers(long askedAt, Promise<MigrationSource> described, Promise<DomainStatus> onTarget,
    Promise<ImageSource> image) {
  /** Answers this old at the grant are used; older ones are asked again. */
  static final Duration FRESH = Duration.ofSeconds(5);

  static CheckAnswers ask(Move move, InventoryActivities inventory) {
    String vm = move.vm();
    return new CheckAnswers(Workflow.currentTimeMillis(),
        Async.function(move.source.migration::describeSource, vm),
        Async.function(move.target.host::status, vm),
        Async.function(inventory::migrationImageSource, vm, move.request.targetNode()));
  }

  boolean freshAt(long now) {
    return now - askedAt <= FRESH.toMillis();
  }
}
