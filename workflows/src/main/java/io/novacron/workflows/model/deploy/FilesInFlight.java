package io.novacron.workflows.model.deploy;

import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs one step per file with at most {@link #limit} of them in flight, starting them in the
 * files' order: the node's transfers, so that one file's hashing and commit overlap the others'
 * bytes on the wire. Workflow code only; deterministic (a step starts only when the await sees a
 * free slot, which replays the same way).
 *
 * <p>The first step that fails stops new ones from starting and cancels those in flight; the
 * failure is rethrown only once every started step has ended, so the caller's compensations never
 * race a transfer still running. A cancellation of the caller's scope reaches the steps the same way.
 */
final class FilesInFlight<T> {
  /**
   * Transfers a node runs at once. From docs/bench/projection-405b.md: the transfer engine moves
   * about 0.25 GB/s per core, so a 25 Gbit/s link (3.1 GB/s) needs 12-13 streams' worth of cores;
   * 8 files x 2 streams fill it, and a TP-8 node's 8 rank files then all move together.
   */
  static final int DEFAULT_LIMIT = 8;

  private final int limit;
  private final Function<ShardFileRef, T> step;
  private final List<Promise<T>> started = new ArrayList<>();

  /**
   * @param limit steps in flight at most, at least 1
   * @param step moves one file (on a workflow thread of its own: it may wait for signals)
   */
  FilesInFlight(int limit, Function<ShardFileRef, T> step) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit: " + limit + " files in flight; use 1 or more");
    }
    this.limit = limit;
    this.step = step;
  }

  /** @return each step's result, in the order of {@code files} */
  List<T> run(List<ShardFileRef> files) {
    CancellationScope scope = Workflow.newCancellationScope(() -> {
      for (ShardFileRef file : files) {
        Workflow.await(() -> running() < limit || failure() != null);
        if (failure() != null) {
          return;
        }
        started.add(Async.function(step::apply, file));
      }
    });
    try {
      scope.run();
      Workflow.await(() -> running() == 0 || failure() != null);
    } catch (CanceledFailure cancelled) {
      settle();
      throw cancelled;
    }
    RuntimeException failure = failure();
    if (failure != null) {
      scope.cancel("another file's transfer failed: " + failure.getMessage());
      settle();
      throw failure;
    }
    return started.stream().map(Promise::get).toList();
  }

  private long running() {
    return started.stream().filter(p -> !p.isCompleted()).count();
  }

  private RuntimeException failure() {
    return started.stream().filter(p -> p.isCompleted() && p.getFailure() != null).map(Promise::getFailure)
        .findFirst().orElse(null);
  }

  /** Waits, whatever cancels the caller, until every started step has ended (its cleanup included). */
  private void settle() {
    Workflow.newDetachedCancellationScope(() -> {
      for (Promise<T> p : started) {
        try {
          p.get();
        } catch (RuntimeException ignored) {
          // Only waiting: the first failure is what the caller gets.
        }
      }
    }).run();
  }
}
