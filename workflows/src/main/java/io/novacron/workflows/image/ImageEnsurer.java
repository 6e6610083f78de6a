package io.novacron.workflows.image;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.StepOptions;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.transfer.FileMover;
import io.novacron.workflows.transfer.TransferActivities;
import io.novacron.workflows.transfer.TransferOptions;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

/**
 * Makes a node hold a base image before a VM's disk is created on it (provisioning) or moved to
 * it (migration), from the source {@link ImageSources#decide} chose. Every path lands the file
 * only when it hashes to the registered digest: the peer's copy through the transfer engine with
 * the digest as {@code expectedSha256}, the URL and the node file by the agent itself. A pulled
 * image stays in the node's library when the run later fails: it is a verified cache, not part of
 * the VM. A pull that fails aborts its own receive (deleting the partial file) before the failure
 * goes on, so a caller has nothing of it to undo. Workflow code only.
 */
public final class ImageEnsurer {
  /** A long download or copy: the agent heartbeats, so a dead one is noticed in 30 s anyway. */
  private static final Duration FETCH_TIMEOUT = Duration.ofHours(2);

  /**
   * Brings the image to {@code target}; returns at once for {@link ImageSource.Kind#LOCAL}.
   *
   * @throws ApplicationFailure non-retryable {@code ImageNotFound} for a refusal,
   *     {@code ImageVerifyFailed} for a copy that does not match its digest
   */
  public void ensure(String target, ImageSource source) {
    if (source == null || source.kind() == ImageSource.Kind.LOCAL) {
      return;
    }
    switch (source.kind()) {
      case REFUSE -> throw ApplicationFailure.newNonRetryableFailure(source.refusal(), FailureTypes.IMAGE_NOT_FOUND);
      case URL -> images(target).download(source);
      case IMPORT -> {
        images(source.node()).importFile(source);
        if (!source.node().equals(target)) {
          pull(source.node(), target, source);
        }
      }
      case PEER -> pull(source.node(), target, source);
      default -> throw new IllegalStateException("unhandled image source " + source.kind());
    }
  }

  private void pull(String from, String target, ImageSource source) {
    TransferActivities receiver = receiver(target);
    // Registered before the receive opens (an open that timed out may have opened it).
    Saga aborts = new Saga(new Saga.Options.Builder().setContinueWithError(true).build());
    FileMover mover = new FileMover(receiver, transfers(from, FETCH_TIMEOUT),
        abort -> aborts.addCompensation(receiver::closeReceive, abort), () -> true);
    String path = source.relativeDisk();
    // No delta: the target has no copy to diff against, and a base image is written once.
    FileMover.File file = new FileMover.File("image-" + source.image() + "-" + Workflow.randomUUID(), path, target,
        path, TransferOptions.defaults().withDelta(false), source.sha256());
    try {
      mover.move(List.of(file));
    } catch (TemporalFailure e) {
      // Detached: a cancelled run must still delete the partial file.
      Workflow.newDetachedCancellationScope(aborts::compensate).run();
      if (e instanceof ApplicationFailure app && FailureTypes.SHARD_VERIFY_FAILED.equals(app.getType())) {
        throw ApplicationFailure.newNonRetryableFailure("node " + from + "'s copy of image '" + source.image()
            + "' does not match its registered SHA-256 " + source.sha256() + "; nothing landed on " + target
            + " (" + app.getOriginalMessage() + ")", FailureTypes.IMAGE_VERIFY_FAILED);
      }
      throw e;
    }
  }

  private static ImageActivities images(String node) {
    return Workflow.newActivityStub(ImageActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(node))
        .setScheduleToStartTimeout(StepOptions.HOST_SCHEDULE_TO_START)
        .setStartToCloseTimeout(FETCH_TIMEOUT)
        .setHeartbeatTimeout(StepOptions.GUEST_STEP_HEARTBEAT)
        .setRetryOptions(StepOptions.RETRY)
        .build());
  }

  /** The transfer engine's receiving side on {@code node}: open, commit and abort. */
  private static TransferActivities receiver(String node) {
    return transfers(node, Duration.ofMinutes(10));
  }

  private static TransferActivities transfers(String node, Duration startToClose) {
    return Workflow.newActivityStub(TransferActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(node))
        .setScheduleToStartTimeout(StepOptions.HOST_SCHEDULE_TO_START)
        .setStartToCloseTimeout(startToClose)
        .setHeartbeatTimeout(StepOptions.GUEST_STEP_HEARTBEAT)
        .setRetryOptions(StepOptions.RETRY)
        .build());
  }
}
