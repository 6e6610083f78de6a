package io.novacron.workflows.migrate;

import io.novacron.workflows.run.RunTracker;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Where a settling move waits for an operator: it records the run as ATTENTION with why, looks
 * again after an interval unless an answer comes first, and checks each answer against what it
 * last saw on both nodes (a copy is kept only if it was seen running). Workflow code only.
 */
final class OperatorDesk {
  /** Looks while waiting for an operator or a node: soon at first (a restart takes seconds), then rarely. */
  private static final Duration[] ATTENTION_DELAYS = {
    Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
    Duration.ofSeconds(60)
  };

  private Copies last;
  /** Why the run last waited for an operator; an abandoned run's headline leads with it. */
  private String lastAttention;
  private boolean awaiting;
  private Resolution resolution;

  /** What both nodes held at the last look; returned for the caller. */
  Copies saw(Copies copies) {
    last = copies;
    return copies;
  }

  String lastAttention() {
    return lastAttention;
  }

  /**
   * Waits for an operator's answer, or the next look (after the round's delay).
   *
   * @return the answer, or null to look again
   */
  Resolution await(RunTracker run, String detail, int round) {
    if (!detail.equals(lastAttention) || round == 0) {
      run.attention(detail);
    }
    lastAttention = detail;
    awaiting = true;
    resolution = null;
    Workflow.await(ATTENTION_DELAYS[Math.min(round, ATTENTION_DELAYS.length - 1)], () -> resolution != null);
    awaiting = false;
    Resolution answer = resolution;
    resolution = null;
    return answer;
  }

  void validate(Resolution answer, RunTracker run) {
    if (!awaiting) {
      throw new IllegalStateException("the run does not wait for an operator (" + run.status().state()
          + ", " + run.status().phase() + ")");
    }
    if (answer == Resolution.KEEP_SOURCE && !seenRunning(last.source())) {
      throw new IllegalStateException("cannot keep the copy on " + last.sourceNode() + ": it was not"
          + " seen running (" + last.describe() + ")");
    }
    if (answer == Resolution.KEEP_TARGET && !seenRunning(last.target())) {
      throw new IllegalStateException("cannot keep the copy on " + last.targetNode() + ": it was not"
          + " seen running (" + last.describe() + ")");
    }
  }

  String resolve(Resolution answer, String vm) {
    resolution = answer;
    return switch (answer) {
      case RETRY -> "looking at both nodes again";
      case ABANDON -> "ending the run without touching " + last.sourceNode() + " or " + last.targetNode();
      case KEEP_SOURCE -> "keeping " + vm + " on " + last.sourceNode() + "; removing the copy on " + last.targetNode();
      case KEEP_TARGET -> "keeping " + vm + " on " + last.targetNode() + "; removing the copy on " + last.sourceNode();
    };
  }

  private static boolean seenRunning(DomainProbe probe) {
    return probe != null && probe.running();
  }
}
