package io.novacron.transfer;

import io.novacron.workflows.transfer.CloseReceiveRequest;
import io.novacron.workflows.transfer.ReceiveEndpoint;
import io.novacron.workflows.transfer.ReceiveOutcome;
import io.novacron.workflows.transfer.TransferActivities;
import io.novacron.workflows.transfer.TransferProgress;
import io.novacron.workflows.transfer.TransferRequest;
import io.novacron.workflows.transfer.TransferResult;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.Optional;

/**
 * {@link TransferActivities} on a node's {@link TransferNode}. Registered on the node's host queue
 * next to the host activities. Failures that retrying cannot fix become non-retryable
 * ApplicationFailures of the {@code TransferFailures} types; the rest are retried by Temporal and
 * resume from the receiver's journal.
 */
public class TransferActivitiesImpl implements TransferActivities {
  private final TransferNode node;
  private final TransferMetrics metrics;

  public TransferActivitiesImpl(TransferNode node, TransferMetrics metrics) {
    this.node = node;
    this.metrics = metrics;
  }

  /** Without exported metrics. */
  public TransferActivitiesImpl(TransferNode node) {
    this(node, TransferMetrics.unexported());
  }

  @Override
  public ReceiveEndpoint openReceive(TransferRequest request) {
    try {
      return node.openReceive(request);
    } catch (IOException e) {
      throw failure(e);
    }
  }

  @Override
  public TransferResult send(TransferRequest request, ReceiveEndpoint endpoint) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    Optional<TransferProgress> previous = context.getHeartbeatDetails(TransferProgress.class);
    // The receive of a copy within this node is open on this node's own engine.
    boolean toSelf = node.receiveStats(request.transferId()) != null;
    metrics.started();
    try {
      // Temporal throttles heartbeats to a fraction of the heartbeat timeout; the engine reports
      // about once a second and at phase changes.
      TransferResult result = node.send(request, endpoint, context::heartbeat, previous.orElse(null));
      metrics.succeeded(result, toSelf);
      return result;
    } catch (IOException e) {
      metrics.failed();
      throw failure(e);
    } catch (InterruptedException e) {
      metrics.failed();
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    } catch (RuntimeException e) {
      metrics.failed();
      throw e;
    }
  }

  @Override
  public ReceiveOutcome closeReceive(CloseReceiveRequest request) {
    try {
      return node.closeReceive(request);
    } catch (IOException e) {
      throw failure(e);
    }
  }

  private static RuntimeException failure(IOException e) {
    if (e instanceof TransferException te && !te.retryable()) {
      return ApplicationFailure.newNonRetryableFailure(te.getMessage(), te.error().failureType());
    }
    return Activity.wrap(e);
  }
}
