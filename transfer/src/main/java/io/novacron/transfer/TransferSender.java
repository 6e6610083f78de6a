package io.novacron.transfer;

import io.novacron.transfer.codec.CodecPolicy;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.transfer.ReceiveEndpoint;
import io.novacron.workflows.transfer.TransferOptions;
import io.novacron.workflows.transfer.TransferProgress;
import io.novacron.workflows.transfer.TransferRequest;
import io.novacron.workflows.transfer.TransferRequestValidator;
import io.novacron.workflows.transfer.TransferResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending half of a node's transfer engine. A send makes up to
 * {@link SenderSettings#maxAttempts()} attempts; each one reconnects and resumes from the
 * receiver's journal, so a cut connection or a corrupted chunk costs the blocks in flight, not the
 * file.
 */
public final class TransferSender {
  private static final Logger log = LoggerFactory.getLogger(TransferSender.class);

  private final TransferPaths paths;
  private final SenderSettings settings;
  private final TransferTls tls;

  TransferSender(TransferPaths paths, SenderSettings settings, TransferTls tls) {
    this.paths = paths;
    this.settings = settings;
    this.tls = tls;
  }

  /**
   * Sends {@code request.sourcePath()} to the endpoint and returns once the receiver holds it,
   * durable and (with verify) checked.
   *
   * @param previous the last progress of an earlier Temporal attempt of this send (its heartbeat
   *     details), or null: its wire bytes and attempts carry into the totals
   */
  public TransferResult send(TransferRequest request, ReceiveEndpoint endpoint, ProgressListener listener,
      TransferProgress previous) throws IOException, InterruptedException {
    List<FieldError> errors = TransferRequestValidator.validate(request);
    if (!errors.isEmpty()) {
      throw new TransferException(TransferError.INVALID,
          errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    }
    if (endpoint == null || !request.transferId().equals(endpoint.transferId())) {
      throw new TransferException(TransferError.INVALID, "the endpoint is not for transfer " + request.transferId());
    }
    TransferOptions options = request.options();
    if (options.blockSize() == TransferOptions.AUTO_BLOCK_SIZE) {
      // The receiver chose when it opened the transfer (BlockSizeChoice): it knows whether a base exists.
      options = options.withBlockSize(endpoint.blockSize());
      request = new TransferRequest(request.transferId(), request.sourcePath(), request.targetNode(),
          request.targetPath(), options);
    } else if (endpoint.blockSize() != options.blockSize()) {
      throw new TransferException(TransferError.INVALID, "the receiver expects blocks of " + endpoint.blockSize());
    }
    Path source = paths.source(request.sourcePath());
    long started = System.nanoTime();
    boolean resumedFromHeartbeat = previous != null && request.transferId().equals(previous.transferId());
    int workers = Math.min(options.streams(), Runtime.getRuntime().availableProcessors());
    SendContext context = new SendContext(
        resumedFromHeartbeat ? previous.bytesOnWire() : 0,
        resumedFromHeartbeat ? previous.attempt() : 0,
        CodecPolicy.parse(options.codec()).newSelector(workers, options.bandwidthCapBytesPerSec()),
        new RateLimiter(options.bandwidthCapBytesPerSec()),
        listener == null ? ProgressListener.NONE : listener,
        settings,
        tls);
    if (resumedFromHeartbeat) {
      log.info("transfer {}: retry after attempt {} ({} of {} bytes were durable then)", request.transferId(),
          previous.attempt(), previous.bytesDone(), previous.bytesTotal());
    }
    return attempts(request, endpoint, source, context, started);
  }

  /** Attempts until one succeeds, a failure is not retryable, or the attempts are used up. */
  private TransferResult attempts(TransferRequest request, ReceiveEndpoint endpoint, Path source, SendContext context,
      long started) throws IOException, InterruptedException {
    long sent = 0;
    Map<String, Long> payload = new TreeMap<>();
    long backoff = settings.firstBackoff().toMillis();
    for (int tries = 1; ; tries++) {
      int attemptNumber = context.nextAttempt();
      SendAttempt attempt = new SendAttempt(endpoint, request.options(), source, context, attemptNumber);
      try {
        SendAttempt.Outcome outcome = attempt.run();
        SendTracker t = outcome.tracker();
        sent += t.blocksSent.get();
        t.payloadByCodec().forEach((k, v) -> payload.merge(k, v, Long::sum));
        double seconds = (System.nanoTime() - started) / 1e9;
        long wire = context.wireBytes().get();
        return new TransferResult(request.transferId(), t.size(), wire, t.blocks(), sent, t.blocksSkipped.get(),
            t.blocksZero.get(), t.resumed(), wire > 0 ? (double) t.size() / wire : 0, seconds,
            Hashes.hex(outcome.sha256()), context.attempts(), payload);
      } catch (IOException e) {
        // Count what the failed attempt put on the wire: the result reports every byte sent.
        SendTracker t = attempt.tracker();
        if (t != null) {
          sent += t.blocksSent.get();
          t.payloadByCodec().forEach((k, v) -> payload.merge(k, v, Long::sum));
        }
        TransferException te = e instanceof TransferException x ? x
            : new TransferException(TransferError.IO, e.toString(), e);
        if (!te.retryable() || tries >= settings.maxAttempts()) {
          throw te;
        }
        log.warn("transfer {} attempt {} failed ({}: {}); resuming in {} ms", request.transferId(), attemptNumber,
            te.error(), te.getMessage(), backoff);
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, settings.maxBackoff().toMillis());
      }
    }
  }
}
