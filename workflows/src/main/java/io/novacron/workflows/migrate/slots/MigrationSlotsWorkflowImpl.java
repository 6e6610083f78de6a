package io.novacron.workflows.migrate.slots;

import io.novacron.workflows.StepOptions;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Applies the signals in arrival order to the {@link SlotBook}, grants what it allows by
 * signalling the runs, and once a minute (while it knows any run) asks which of its runs have
 * closed without releasing (terminated, timed out): their slots are freed too. Continues as new
 * with the book when Temporal suggests it or after {@value #EVENTS_BEFORE_CONTINUE} signals.
 */
public class MigrationSlotsWorkflowImpl implements MigrationSlotsWorkflow {
  public static final Duration REAP_EVERY = Duration.ofMinutes(1);
  static final int EVENTS_BEFORE_CONTINUE = 500;
  private static final Logger log = Workflow.getLogger(MigrationSlotsWorkflowImpl.class);

  private final MigrationSlotActivities activities = Workflow.newActivityStub(
      MigrationSlotActivities.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(StepOptions.RETRY)
          .build());
  private final List<Runnable> inbox = new ArrayList<>();
  private SlotBook book;
  private int handled;

  @Override
  public void keep(SlotBook initial) {
    book = initial == null ? SlotBook.empty(SlotLimits.defaults()) : initial;
    while (true) {
      boolean signalled;
      if (book.runIds().isEmpty()) {
        Workflow.await(() -> !inbox.isEmpty());
        signalled = true;
      } else {
        signalled = Workflow.await(REAP_EVERY, () -> !inbox.isEmpty());
      }
      drain();
      if (!signalled) {
        reap();
      }
      grantAll();
      if (inbox.isEmpty()
          && (handled >= EVENTS_BEFORE_CONTINUE || Workflow.getInfo().isContinueAsNewSuggested())) {
        Workflow.continueAsNew(book);
      }
    }
  }

  @Override
  public void request(SlotRequest request) {
    inbox.add(() -> book = book.request(request));
  }

  @Override
  public void release(String runId) {
    inbox.add(() -> book = book.release(runId));
  }

  @Override
  public SlotBook book() {
    return book;
  }

  private void drain() {
    while (!inbox.isEmpty()) {
      inbox.remove(0).run();
      handled++;
    }
  }

  /** A run that closed without releasing (terminated, timed out, reset) must not hold a slot. */
  private void reap() {
    try {
      for (String runId : activities.closed(book.runIds())) {
        log.info("freeing the slot of {}: the run has closed", runId);
        book = book.release(runId);
      }
    } catch (ActivityFailure e) {
      log.warn("could not check the slot holders: {}", e.getMessage());
    }
  }

  /** A run that cannot take its grant (it ended meanwhile) gives the slot straight back. */
  private void grantAll() {
    boolean again = true;
    while (again) {
      again = false;
      SlotBook.Granted granted = book.grant();
      book = granted.book();
      for (SlotRequest r : granted.granted()) {
        try {
          Workflow.newExternalWorkflowStub(MigrateVmWorkflow.class, r.runId()).slotGranted();
        } catch (RuntimeException e) {
          log.info("{} did not take its slot ({}): freed", r.runId(), e.getMessage());
          book = book.release(r.runId());
          again = true;
        }
      }
    }
  }
}
