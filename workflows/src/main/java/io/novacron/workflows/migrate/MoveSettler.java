package io.novacron.workflows.migrate;

import io.novacron.workflows.migrate.Settled.Outcome;
import io.novacron.workflows.migrate.Verdict.Step;
import io.novacron.workflows.node.InventoryActivities;
import io.novacron.workflows.run.FailureReason;
import io.novacron.workflows.run.RunTracker;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Brings a move to its end from what both nodes really hold, however the run got here: after a
 * transfer that succeeded, failed, was cancelled, or whose agent, libvirtd or orchestrator died.
 * It looks at both nodes, lets {@link Settlement} decide, does that one step, and looks again,
 * until the VM runs on exactly one node and the other holds nothing of it. What it cannot decide
 * safely it holds in ATTENTION, looking again at an interval, until the nodes answer or an
 * operator resolves it ({@link #resolve}). Workflow code only; runs in a detached scope when the
 * run was cancelled.
 */
final class MoveSettler {
  /** Looks while libvirt runs a job: the job ends by itself or by the abort. */
  private static final Duration[] WAIT_DELAYS = {
    Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5)
  };
  /** Looks while waiting for an operator or a node: soon at first (a restart takes seconds), then rarely. */
  private static final Duration[] ATTENTION_DELAYS = {
    Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
    Duration.ofSeconds(60)
  };
  /** After this long a job is not about to end: look less often. */
  private static final Duration LONG_WAIT = Duration.ofMinutes(2);
  private static final Duration LONG_WAIT_DELAY = Duration.ofSeconds(10);
  /** A step that keeps failing on a node that answers goes to an operator after this many tries. */
  private static final int STEP_TRIES = 3;
  /** After the patience has run out and the job was aborted, how long before an operator is asked. */
  private static final Duration ABORT_GRACE = Duration.ofMinutes(5);

  private final RunTracker run;
  private final String vm;
  private final NodeSteps source;
  private final NodeSteps target;
  private final InventoryActivities inventory;

  private Copies last;
  /** Why the run last waited for an operator; an abandoned run's headline leads with it. */
  private String lastAttention;
  private boolean awaitingOperator;
  private Resolution resolution;

  MoveSettler(RunTracker run, String vm, NodeSteps source, NodeSteps target, InventoryActivities inventory) {
    this.run = run;
    this.vm = vm;
    this.source = source;
    this.target = target;
    this.inventory = inventory;
  }

  /**
   * @param uuid the VM's domain UUID: removals touch only a domain with it
   * @param targetDisk the VM's disk path on the target, for the inventory once it runs there
   * @param stage what the run did so far
   * @param wantBack the run was cancelled: a running outgoing migration is aborted, not waited for
   * @param patience how long a libvirt job may run before it is aborted anyway (nobody else
   *     enforces a completion timeout once the monitor is gone)
   */
  Settled settle(String uuid, String targetDisk, MoveStage stage, boolean wantBack, Duration patience) {
    boolean recorded = false;
    boolean aborted = false;
    long busySince = -1;
    int waits = 0;
    int attentions = 0;
    Step failing = null;
    int failures = 0;
    while (true) {
      Copies copies = look();
      long now = Workflow.currentTimeMillis();
      busySince = copies.known() && (copies.source().busy() || copies.target().busy())
          ? (busySince < 0 ? now : busySince) : -1;
      boolean overdue = busySince >= 0 && now - busySince > patience.toMillis();
      Verdict verdict = Settlement.decide(copies, stage, wantBack || overdue);
      if (overdue && aborted && now - busySince > patience.plus(ABORT_GRACE).toMillis()) {
        verdict = Verdict.of(Step.ATTENTION, "libvirt has run a job for " + vm + " for "
            + (now - busySince) / 60_000 + " min, and an abort did not end it: " + copies.describe());
      }
      if (verdict.step() != Step.WAIT && verdict.step() != Step.ABORT_AND_WAIT) {
        waits = 0;
      }
      String problem = null;
      switch (verdict.step()) {
        case WAIT, ABORT_AND_WAIT -> {
          if (waits == 0) {
            run.enter("settle", verdict.detail());
          }
          if (verdict.step() == Step.ABORT_AND_WAIT && !aborted) {
            aborted = true;
            run.enter("rollback", abort());
          }
          Workflow.sleep(now - busySince > LONG_WAIT.toMillis() ? LONG_WAIT_DELAY
              : WAIT_DELAYS[Math.min(waits, WAIT_DELAYS.length - 1)]);
          waits++;
        }
        case FORWARD, FORWARD_DONE -> {
          if (!recorded) {
            recorded = true;
            recordMove(copies, targetDisk);
          }
          if (verdict.step() == Step.FORWARD_DONE) {
            return new Settled(Outcome.MOVED, copies, verdict.detail());
          }
          run.enter("cleanup-source", verdict.detail());
          problem = attempt(() -> source.migration.removeCopy(new RemoveCopyRequest(vm, uuid, false)));
        }
        case REMOVE_TARGET -> {
          run.enter("rollback", verdict.detail());
          problem = attempt(() -> target.migration.removeCopy(new RemoveCopyRequest(vm, uuid, false)));
        }
        case BACK_DONE -> {
          mergeSourceOverlay(copies);
          return new Settled(Outcome.ROLLED_BACK, copies, verdict.detail());
        }
        case RECOVER_SOURCE -> {
          run.enter("rollback", verdict.detail());
          problem = attempt(() -> source.migration.recoverSource(vm));
        }
        case RECOVER_TARGET -> {
          run.enter("recover-target", verdict.detail());
          boolean paused = copies.target().paused();
          problem = attempt(() -> {
            if (paused) {
              target.migration.resume(vm);
            } else {
              target.host.startDomain(vm);
            }
          });
        }
        case LEFT_AS_FOUND -> {
          return new Settled(Outcome.LEFT_AS_FOUND, copies, verdict.detail());
        }
        case ATTENTION -> {
          Resolution answer = awaitOperator(verdict.detail(), attentions++);
          if (answer != null) {
            attentions = 0;
            Settled ended = apply(answer, copies, uuid, targetDisk, recorded);
            if (ended != null) {
              return ended;
            }
            recorded |= answer == Resolution.KEEP_TARGET;
          }
        }
      }
      if (problem == null) {
        failing = null;
        failures = 0;
      } else {
        failures = verdict.step() == failing ? failures + 1 : 1;
        failing = verdict.step();
        run.enter(phaseOf(verdict.step()), problem);
        if (failures >= STEP_TRIES) {
          failures = 0;
          Resolution answer = awaitOperator(verdict.detail() + "; the step failed " + STEP_TRIES
              + " times: " + problem, attentions++);
          if (answer != null) {
            Settled ended = apply(answer, copies, uuid, targetDisk, recorded);
            if (ended != null) {
              return ended;
            }
          }
        }
      }
    }
  }

  /** The quick stub of the target, for a report that must not hold up the end of the run. */
  MigrationActivities targetLook() {
    return target.look;
  }

  /** Refuses a resolution that does not fit what the run last saw; the message says why. */
  void validate(Resolution answer) {
    if (!awaitingOperator) {
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

  /** Takes a resolution the validator accepted; the run acts on it at once. */
  String resolve(Resolution answer) {
    resolution = answer;
    return switch (answer) {
      case RETRY -> "looking at both nodes again";
      case ABANDON -> "ending the run without touching " + last.sourceNode() + " or " + last.targetNode();
      case KEEP_SOURCE -> "keeping " + vm + " on " + last.sourceNode() + "; removing the copy on " + last.targetNode();
      case KEEP_TARGET -> "keeping " + vm + " on " + last.targetNode() + "; removing the copy on " + last.sourceNode();
    };
  }

  private static String phaseOf(Step step) {
    return switch (step) {
      case FORWARD -> "cleanup-source";
      case RECOVER_TARGET -> "recover-target";
      default -> "rollback";
    };
  }

  private static boolean seenRunning(DomainProbe probe) {
    return probe != null && probe.running();
  }

  /**
   * @return the end of the run, or null to look again
   */
  private Settled apply(Resolution answer, Copies copies, String uuid, String targetDisk, boolean recorded) {
    run.enter("resolve", "an operator chose " + answer.name().toLowerCase().replace('_', '-'));
    switch (answer) {
      case RETRY -> {
        return null;
      }
      case ABANDON -> {
        return new Settled(Outcome.ABANDONED, copies, lastAttention + "; abandoned by an operator,"
            + " nothing removed");
      }
      case KEEP_SOURCE -> {
        if (copies.target() == null) {
          return new Settled(Outcome.ROLLED_BACK, copies, "kept on " + copies.sourceNode()
              + " by an operator; " + copies.targetNode() + " did not answer and may still hold files of " + vm);
        }
        String problem = attempt(() -> target.migration.removeCopy(new RemoveCopyRequest(vm, uuid, true)));
        if (problem != null) {
          run.enter("resolve", problem);
        }
        return null;
      }
      case KEEP_TARGET -> {
        if (!recorded) {
          recordMove(copies, targetDisk);
        }
        if (copies.source() == null) {
          return new Settled(Outcome.MOVED, copies, "kept on " + copies.targetNode()
              + " by an operator; " + copies.sourceNode() + " did not answer and may still hold files of " + vm);
        }
        String problem = attempt(() -> source.migration.removeCopy(new RemoveCopyRequest(vm, uuid, true)));
        if (problem != null) {
          run.enter("resolve", problem);
        }
        return null;
      }
    }
    return null;
  }

  /** Both nodes at once; a node whose agent or libvirtd does not answer is unknown, never guessed. */
  private Copies look() {
    Promise<DomainProbe> onSource = Async.function(source.look::probe, vm);
    Promise<DomainProbe> onTarget = Async.function(target.look::probe, vm);
    DomainProbe s = null;
    DomainProbe t = null;
    String sourceUnknown = null;
    String targetUnknown = null;
    try {
      s = onSource.get();
    } catch (ActivityFailure e) {
      sourceUnknown = FailureReason.of(e);
    }
    try {
      t = onTarget.get();
    } catch (ActivityFailure e) {
      targetUnknown = FailureReason.of(e);
    }
    last = new Copies(source.node, s, sourceUnknown, target.node, t, targetUnknown);
    return last;
  }

  private Resolution awaitOperator(String detail, int round) {
    if (!detail.equals(lastAttention) || round == 0) {
      run.attention(detail);
    }
    lastAttention = detail;
    awaitingOperator = true;
    resolution = null;
    Workflow.await(ATTENTION_DELAYS[Math.min(round, ATTENTION_DELAYS.length - 1)], () -> resolution != null);
    awaitingOperator = false;
    Resolution answer = resolution;
    resolution = null;
    return answer;
  }

  private String abort() {
    try {
      return source.migration.abortMigration(vm);
    } catch (ActivityFailure e) {
      return "could not ask " + source.node + " to abort the migration: " + FailureReason.of(e);
    }
  }

  /** The inventory follows the VM; the target's overlay (live pre-copy) is merged into its disk. */
  private void recordMove(Copies copies, String targetDisk) {
    run.setNode(target.node);
    run.enter("verify", copies.target() == null ? vm + " kept on " + target.node
        : vm + " runs on " + target.node + " (" + copies.target().describe() + ")");
    try {
      inventory.moveVm(vm, target.node, targetDisk);
    } catch (ActivityFailure e) {
      run.enter("record", "inventory not updated: " + FailureReason.of(e));
    }
    if (copies.target() != null && copies.target().files() != null && copies.target().files().overlay()) {
      run.enter("flatten", target.node);
      String problem = attempt(() -> target.commit.commitOverlay(vm));
      if (problem != null) {
        run.enter("flatten", "the overlay stays under " + vm + ": " + problem);
      }
    }
  }

  /** A rollback after a live pre-copy: the source runs from its overlay, which goes back into its disk. */
  private void mergeSourceOverlay(Copies copies) {
    run.enter("verify", "exactly one running copy, on " + source.node);
    if (copies.source().files() != null && copies.source().files().overlay()) {
      String problem = attempt(() -> source.commit.commitOverlay(vm));
      if (problem != null) {
        run.enter("rollback", "the overlay stays under " + vm + " on " + source.node + ": " + problem);
      }
    }
  }

  /** Runs a step; its failure is returned as text, to be looked at again, not thrown. */
  private static String attempt(Runnable step) {
    try {
      step.run();
      return null;
    } catch (ActivityFailure e) {
      return FailureReason.of(e);
    }
  }
}
