package io.novacron.workflows.node;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** Records announcements one at a time; keeps only the newest of each kind while one is recorded. */
public class NodeWorkflowImpl implements NodeWorkflow {
  /** Announcements per run before continuing as new, to bound the history. */
  static final int ANNOUNCEMENTS_PER_RUN = 500;

  private final InventoryActivities inventory =
      Workflow.newActivityStub(
          InventoryActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(30))
              .setRetryOptions(
                  RetryOptions.newBuilder().setMaximumInterval(Duration.ofSeconds(30)).build())
              .build());

  private NodeFacts pendingHost;
  private GpuInventory pendingGpus;

  @Override
  public void run(String node) {
    int recorded = 0;
    while (recorded < ANNOUNCEMENTS_PER_RUN) {
      Workflow.await(() -> pendingHost != null || pendingGpus != null);
      recorded += recordPending();
    }
    // Signals that arrive while the last ones are recorded must not be lost: drain until none
    // is pending, then continue as new in the same workflow task.
    while (recordPending() > 0) {
      // each pass records what arrived during the previous one
    }
    Workflow.continueAsNew(node);
  }

  /** Records the pending announcements, newest of each kind; returns how many it recorded. */
  private int recordPending() {
    int recorded = 0;
    if (pendingHost != null) {
      NodeFacts facts = pendingHost;
      pendingHost = null;
      inventory.recordNode(facts);
      recorded++;
    }
    if (pendingGpus != null) {
      GpuInventory gpus = pendingGpus;
      pendingGpus = null;
      inventory.recordGpus(gpus);
      recorded++;
    }
    return recorded;
  }

  @Override
  public void announceHost(NodeFacts facts) {
    pendingHost = facts;
  }

  @Override
  public void announceGpus(GpuInventory inventory) {
    pendingGpus = inventory;
  }
}
