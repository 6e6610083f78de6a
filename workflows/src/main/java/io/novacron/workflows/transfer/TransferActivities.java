package io.novacron.workflows.transfer;

import io.temporal.activity.ActivityInterface;

/**
 * Moves one file between two node agents over a direct, authenticated, resumable stream. A
 * workflow runs the three steps on two hosts' queues ({@code TaskQueues.host(node)}):
 *
 * <pre>{@code
 * ReceiveEndpoint at = target.openReceive(request);           // on host.<targetNode>
 * TransferResult sent = source.send(request, at);              // on host.<sourceNode>
 * target.closeReceive(CloseReceiveRequest.commit(sent));       // on host.<targetNode>
 * }</pre>
 *
 * and {@code closeReceive(CloseReceiveRequest.abort(id))} as the compensation, registered before
 * {@code openReceive}. Give {@code send} a heartbeat timeout (30 s is plenty: it heartbeats every
 * few seconds) and a retry policy; each retry resumes where the receiver's journal ends.
 */
@ActivityInterface(namePrefix = "Transfer.")
public interface TransferActivities {
  /**
   * On the target node: prepares the partial file and its journal next to {@code targetPath},
   * issues a one-time token and, with delta, hashes the existing copy per block. Idempotent: a
   * retry with the same transfer id returns the same open transfer (and the same token until it
   * expires) and keeps what an earlier attempt received. A transfer id that was closed cannot be
   * opened again.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link TransferFailures#PATH_REJECTED} when the
   *     target path leaves the data directory; {@link TransferFailures#INVALID_SPEC} for bad options
   */
  ReceiveEndpoint openReceive(TransferRequest request);

  /**
   * On the source node: streams {@code sourcePath} to the endpoint and waits until the receiver
   * has made every block durable and (with {@code verify}) checked the whole file's SHA-256.
   * Heartbeats {@link TransferProgress}; a retry skips the blocks the receiver already holds.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link TransferFailures#AUTH_FAILED},
   *     {@link TransferFailures#UNKNOWN_TRANSFER}, {@link TransferFailures#SOURCE_NOT_FOUND},
   *     {@link TransferFailures#PATH_REJECTED} or {@link TransferFailures#VERIFY_FAILED}
   */
  TransferResult send(TransferRequest request, ReceiveEndpoint endpoint);

  /**
   * On the target node: commits (atomically renames the verified partial file onto the target
   * path) or aborts (deletes the partial file and journal). Either way the token stops working.
   * Idempotent: repeating a finished close returns its outcome; aborting an unknown transfer
   * succeeds.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link TransferFailures#VERIFY_FAILED} when the
   *     received file does not match {@code expectedSha256}/{@code expectedSize} (nothing lands);
   *     {@link TransferFailures#UNKNOWN_TRANSFER} when committing a transfer that is not open
   */
  ReceiveOutcome closeReceive(CloseReceiveRequest request);
}
