package io.novacron.host;

import io.novacron.workflows.transfer.CloseReceiveRequest;
import io.novacron.workflows.transfer.ReceiveEndpoint;
import io.novacron.workflows.transfer.ReceiveOutcome;
import io.novacron.workflows.transfer.TransferActivities;
import io.novacron.workflows.transfer.TransferRequest;
import io.novacron.workflows.transfer.TransferResult;

/**
 * The transfer engine's activities as a host agent serves them. Opening and closing a receive
 * heartbeat beside their work like every other host step ({@link ActivitySteps}): a warm or cold
 * move runs them while the guest is down, and closing one verifies the whole file, so a kill of
 * the agent there must be noticed within the heartbeat timeout, not the 10-minute start-to-close.
 * {@code send} heartbeats its own progress.
 */
public final class HostTransferActivities implements TransferActivities {
  private final TransferActivities engine;

  public HostTransferActivities(TransferActivities engine) {
    this.engine = engine;
  }

  @Override
  public ReceiveEndpoint openReceive(TransferRequest request) {
    return ActivitySteps.call(() -> engine.openReceive(request));
  }

  @Override
  public TransferResult send(TransferRequest request, ReceiveEndpoint endpoint) {
    return engine.send(request, endpoint);
  }

  @Override
  public ReceiveOutcome closeReceive(CloseReceiveRequest request) {
    return ActivitySteps.call(() -> engine.closeReceive(request));
  }
}
