package io.novacron.workflows.transfer;

import io.novacron.workflows.FailureTypes;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The workflow side of moving files from one agent to another with the transfer engine, for every
 * workflow that does (a migration's disk and memory image, a deployment's shards). For each file:
 * the receive's abort is registered before the receive is opened (an open that timed out may have
 * opened it); all sends run at once; a send that fails retryably after its own retries gets a fresh
 * receive (the receiving agent may have restarted, on another port: its journal survives and the
 * next send skips what it acknowledged), for at most {@link #SEND_ROUNDS} rounds; what arrived is
 * committed on the target only when its SHA-256 matches the sender's and, where the caller knows
 * one, the expected digest. Workflow code only.
 */
public final class FileMover {
  /** Rounds of open-receive-then-send per file before the move fails. */
  public static final int SEND_ROUNDS = 5;

  private static final Logger log = Workflow.getLogger(FileMover.class);

  /**
   * One file to move.
   *
   * @param transferId the transfer's id (unique per run and file; draw it from
   *     {@code Workflow.randomUUID()})
   * @param expectedSha256 the digest the file must have (a shard manifest's); null to trust the
   *     sender's, which the receiver checks
   */
  public record File(String transferId, String sourcePath, String targetNode, String targetPath,
      TransferOptions options, String expectedSha256) {}

  /** What was moved: one result per file, in the order given. */
  public record Moved(List<TransferResult> results) {
    public long bytesRaw() {
      return results.stream().mapToLong(TransferResult::bytesRaw).sum();
    }

    public long bytesOnWire() {
      return results.stream().mapToLong(TransferResult::bytesOnWire).sum();
    }
  }

  private final TransferActivities receiver;
  private final TransferActivities sender;
  private final Consumer<CloseReceiveRequest> abortLater;
  private final BooleanSupplier reopenAllowed;

  /**
   * @param receiver the receiving agent's stub (open and close)
   * @param sender the sending agent's stub (send: heartbeats, few attempts)
   * @param abortLater registers a receive's abort with the caller's compensations
   * @param reopenAllowed asked when a send has failed retryably: whether this run may open the
   *     receive again (a run recorded before that did not, and must replay the same way)
   */
  public FileMover(TransferActivities receiver, TransferActivities sender,
      Consumer<CloseReceiveRequest> abortLater, BooleanSupplier reopenAllowed) {
    this.receiver = receiver;
    this.sender = sender;
    this.abortLater = abortLater;
    this.reopenAllowed = reopenAllowed;
  }

  public Moved move(List<File> files) {
    List<TransferRequest> transfers = new ArrayList<>();
    for (File file : files) {
      transfers.add(new TransferRequest(file.transferId(), file.sourcePath(), file.targetNode(),
          file.targetPath(), file.options()));
    }
    List<ReceiveEndpoint> endpoints = new ArrayList<>();
    for (TransferRequest transfer : transfers) {
      abortLater.accept(CloseReceiveRequest.abort(transfer.transferId()));
      endpoints.add(receiver.openReceive(transfer));
    }
    List<Promise<TransferResult>> sent = new ArrayList<>();
    for (int i = 0; i < transfers.size(); i++) {
      TransferRequest transfer = transfers.get(i);
      ReceiveEndpoint endpoint = endpoints.get(i);
      sent.add(Async.function(() -> send(transfer, endpoint)));
    }
    List<TransferResult> results = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      TransferResult result = sent.get(i).get();
      File file = files.get(i);
      if (file.expectedSha256() != null && !file.expectedSha256().equals(result.sha256())) {
        // The source changed after its digest was taken: never commit what nobody vouches for.
        throw ApplicationFailure.newNonRetryableFailure(file.sourcePath() + " hashes to " + result.sha256()
            + ", the shard set says " + file.expectedSha256(), FailureTypes.SHARD_VERIFY_FAILED);
      }
      results.add(result);
    }
    for (TransferResult result : results) {
      receiver.closeReceive(CloseReceiveRequest.commit(result));
    }
    return new Moved(results);
  }

  private TransferResult send(TransferRequest transfer, ReceiveEndpoint first) {
    ReceiveEndpoint endpoint = first;
    for (int round = 1; ; round++) {
      try {
        return sender.send(transfer, endpoint);
      } catch (ActivityFailure e) {
        if (round >= SEND_ROUNDS || !retryable(e) || !reopenAllowed.getAsBoolean()) {
          throw e;
        }
        log.warn("sending {} to {} failed (round {}), reopening: {}", transfer.sourcePath(),
            transfer.targetNode(), round, e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        endpoint = receiver.openReceive(transfer);
      }
    }
  }

  private static boolean retryable(TemporalFailure failure) {
    if (failure.getCause() instanceof ApplicationFailure app) {
      return !app.isNonRetryable() && !TransferFailures.AUTH_FAILED.equals(app.getType())
          && !TransferFailures.SOURCE_NOT_FOUND.equals(app.getType())
          && !TransferFailures.PATH_REJECTED.equals(app.getType())
          && !TransferFailures.INVALID_SPEC.equals(app.getType());
    }
    // Timeouts (a dead sender or receiver) are worth another round.
    return !(failure.getCause() instanceof CanceledFailure);
  }
}
