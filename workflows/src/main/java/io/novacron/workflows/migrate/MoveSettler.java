package io.novacron.workflows.migrate;

import io.novacron.workflows.migrate.Settled.Outcome;
import io.novacron.workflows.migrate.Verdict.Step;
import io.novacron.workflows.node.InventoryActivities;
import io.novacron.workflows.run.RunTracker;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Brings a move to its end from what both nodes really hold, however the run got here: after a
 * transfer that succeeded, failed, was cancelled, or whose agent, libvirtd or orchestrator died.
 * It looks at both nodes, lets {@link Settlement} decide, does that one step, and looks again,
 * until the VM runs on exactly one node and the other holds nothing of it. What it cannot decide
 * safely it holds in ATTENTION, looking again at an interval, until the nodes answer or an
 * operator resolves it ({@link OperatorDesk}). Workflow code only; runs in a detached scope when the
 * run was cancelled.
 */
final class MoveSettler {
  /** Looks while libvirt runs a job: the job ends by itself or by the abort. */
  private static final Duration[] WAIT_DELAYS = {
    Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5)
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

  /** Where operators' answers arrive while the run waits for one. */
  private final OperatorDesk desk = new OperatorDesk();
  private final SettleSteps steps;
  /** Told once the VM runs on the target only and the inventory has it there; see the constructor. */
  private final Runnable whenMoved;

  /**
   * @param whenMoved called once, from workflow code, as soon as the VM was seen running on the
   *     target only and the inventory was told (before the source's cleanup): what the run holds
   *     only for the move itself may go from then on. It must not block the settlement.
   */
  MoveSettler(RunTracker run, String vm, NodeSteps source, NodeSteps target, InventoryActivities inventory,
      Runnable whenMoved) {
    this.run = run;
    this.vm = vm;
    this.steps = new SettleSteps(run, vm, source, target, inventory, desk);
    this.whenMoved = whenMoved;
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
    Settled settled = settleOnce(uuid, targetDisk, stage, wantBack, patience);
    // A flatten that ran beside the last steps (SettleSteps#recordMove) ends before the run does.
    steps.awaitFlatten();
    return settled;
  }

  private Settled settleOnce(String uuid, String targetDisk, MoveStage stage, boolean wantBack, Duration patience) {
    // Runs recorded before these rules replay without them: a domain libvirt is starting counts as
    // in motion, and anything in motion past its patience goes to an operator, not only an
    // outgoing migration that an abort did not end.
    boolean startsWait = Workflow.getVersion("settle-starting-up", Workflow.DEFAULT_VERSION, 1) >= 1;
    boolean recorded = false;
    boolean aborted = false;
    long busySince = -1;
    int waits = 0;
    int attentions = 0;
    Step failing = null;
    int failures = 0;
    while (true) {
      Copies copies = steps.look();
      long now = Workflow.currentTimeMillis();
      busySince = copies.known() && (Settlement.inMotion(copies.source(), startsWait)
          || Settlement.inMotion(copies.target(), startsWait))
          ? (busySince < 0 ? now : busySince) : -1;
      boolean overdue = busySince >= 0 && now - busySince > patience.toMillis();
      Verdict verdict = Settlement.decide(copies, stage, wantBack || overdue, startsWait);
      if (overdue && (aborted || startsWait) && now - busySince > patience.plus(ABORT_GRACE).toMillis()) {
        verdict = Verdict.of(Step.ATTENTION, "libvirt has been busy with " + vm + " for "
            + (now - busySince) / 60_000 + " min" + (aborted ? ", and an abort did not end it" : "")
            + ": " + copies.describe());
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
            run.enter("rollback", steps.abort());
          }
          Workflow.sleep(now - busySince > LONG_WAIT.toMillis() ? LONG_WAIT_DELAY
              : WAIT_DELAYS[Math.min(waits, WAIT_DELAYS.length - 1)]);
          waits++;
        }
        case FORWARD, FORWARD_DONE -> {
          if (!recorded) {
            recorded = true;
            steps.recordMove(copies, targetDisk);
            whenMoved.run();
          }
          if (verdict.step() == Step.FORWARD_DONE) {
            return new Settled(Outcome.MOVED, copies, verdict.detail());
          }
          run.enter("cleanup-source", verdict.detail());
          // Added after the first release: runs recorded before it looked at both nodes again after
          // the source's cleanup. The agent answers the removal with a probe of what is left there
          // (the same as a look), and the target was just seen running the VM: the settlement
          // decides on those, and looks again only when they are not the end.
          if (Workflow.getVersion("cleanup-answer", Workflow.DEFAULT_VERSION, 1) >= 1) {
            SettleSteps.Removal removal = steps.removeFromSource(uuid);
            problem = removal.problem();
            Settled ended = problem == null
                ? endedAfterCleanup(copies, removal.left(), stage, wantBack, startsWait) : null;
            if (ended != null) {
              return ended;
            }
          } else {
            problem = steps.remove(true, uuid, false);
          }
        }
        case REMOVE_TARGET -> {
          run.enter("rollback", verdict.detail());
          problem = steps.remove(false, uuid, false);
        }
        case BACK_DONE -> {
          steps.mergeSourceOverlay(copies);
          return new Settled(Outcome.ROLLED_BACK, copies, verdict.detail());
        }
        case RECOVER_SOURCE -> {
          run.enter("rollback", verdict.detail());
          problem = steps.recoverSource();
        }
        case RECOVER_TARGET -> {
          run.enter("recover-target", verdict.detail());
          problem = steps.recoverTarget(copies.target().paused());
        }
        case LEFT_AS_FOUND -> {
          return new Settled(Outcome.LEFT_AS_FOUND, copies, verdict.detail());
        }
        case ATTENTION -> {
          Resolution answer = desk.await(run, verdict.detail(), attentions++);
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
          Resolution answer = desk.await(run, verdict.detail() + "; the step failed "
              + STEP_TRIES + " times: " + problem, attentions++);
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

  /**
   * The end of a forward move when the source's answer to its cleanup and the target's last look
   * settle it: the same pure decision as a look's, on those two. Null: look again.
   */
  private static Settled endedAfterCleanup(Copies before, DomainProbe sourceLeft, MoveStage stage, boolean wantBack,
      boolean startsWait) {
    Copies after = new Copies(before.sourceNode(), sourceLeft, null, before.targetNode(), before.target(), null);
    Verdict verdict = Settlement.decide(after, stage, wantBack, startsWait);
    return verdict.step() == Step.FORWARD_DONE ? new Settled(Outcome.MOVED, after, verdict.detail()) : null;
  }

  /** Refuses a resolution that does not fit what the run last saw; the message says why. */
  void validate(Resolution answer) {
    desk.validate(answer, run);
  }

  /** Takes a resolution the validator accepted; the run acts on it at once. */
  String resolve(Resolution answer) {
    return desk.resolve(answer, vm);
  }

  private static String phaseOf(Step step) {
    return switch (step) {
      case FORWARD -> "cleanup-source";
      case RECOVER_TARGET -> "recover-target";
      default -> "rollback";
    };
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
        return new Settled(Outcome.ABANDONED, copies, desk.lastAttention() + "; abandoned by an operator,"
            + " nothing removed");
      }
      case KEEP_SOURCE -> {
        if (copies.target() == null) {
          return new Settled(Outcome.ROLLED_BACK, copies, "kept on " + copies.sourceNode()
              + " by an operator; " + copies.targetNode() + " did not answer and may still hold files of " + vm);
        }
        String problem = steps.remove(false, uuid, true);
        if (problem != null) {
          run.enter("resolve", problem);
        }
        return null;
      }
      case KEEP_TARGET -> {
        if (!recorded) {
          steps.recordMove(copies, targetDisk);
        }
        if (copies.source() == null) {
          return new Settled(Outcome.MOVED, copies, "kept on " + copies.targetNode()
              + " by an operator; " + copies.sourceNode() + " did not answer and may still hold files of " + vm);
        }
        String problem = steps.remove(true, uuid, true);
        if (problem != null) {
          run.enter("resolve", problem);
        }
        return null;
      }
    }
    return null;
  }
}
