package io.novacron.control.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.novacron.workflows.migrate.MigrationProgress;
import java.time.Instant;

/**
 * A run's live byte progress, as the REST API ({@code progress} in the run record) and the
 * dashboard show it. Computed only by {@link #of}, so both show the same figures.
 *
 * <p>Invariant: {@code bytesProcessed + bytesRemaining == bytesTotal}, each 0 or more.
 *
 * @param phase the run's phase the sample belongs to (e.g. {@code transfer})
 * @param bytesProcessed bytes sent so far (a live migration counts a re-dirtied page each time it is sent)
 * @param bytesRemaining bytes still to send
 * @param bytesTotal processed plus remaining: the work known now, which grows while a guest re-dirties memory
 * @param percent processed share of the total, 0..100, one decimal; 0 while the total is 0
 * @param bytesPerSecond recent throughput
 * @param etaSeconds seconds until nothing remains at the current throughput net of the guest's
 *     dirty rate; null (absent in JSON) when unknown: no throughput, or not converging
 * @param converging whether the remaining bytes shrink: something is sent, the stall detector has
 *     not fired, and the throughput beats the dirty rate (or the guest is paused, so dirties nothing)
 * @param at when the sample was taken
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunProgress(
    String phase, long bytesProcessed, long bytesRemaining, long bytesTotal, double percent,
    long bytesPerSecond, Long etaSeconds, boolean converging, Instant at) {

  private static final double MIB = 1024.0 * 1024.0;

  /**
   * The figures of one transfer sample.
   *
   * @param phase the run's phase
   * @param processedBytes bytes sent so far; a negative value counts as 0
   * @param remainingBytes bytes still to send; a negative value (unknown) counts as 0
   * @param bytesPerSecond recent throughput; a negative value counts as 0
   * @param dirtyBytesPerSecond how fast the guest re-dirties memory (0 for a disk or file copy)
   * @param stalled whether the sender has seen the remaining bytes stop shrinking
   * @param paused whether the guest is paused (forced completion), so it dirties nothing more
   * @param at when the sample was taken
   */
  public static RunProgress of(String phase, long processedBytes, long remainingBytes, long bytesPerSecond,
      long dirtyBytesPerSecond, boolean stalled, boolean paused, Instant at) {
    long processed = Math.max(0, processedBytes);
    long remaining = Math.max(0, remainingBytes);
    // The sample's own total can lag or count a re-sent page once; the sum keeps the invariant exact.
    long total = saturatedSum(processed, remaining);
    remaining = total - processed;
    long rate = Math.max(0, bytesPerSecond);
    long dirty = paused ? 0 : Math.max(0, dirtyBytesPerSecond);
    boolean converging = remaining == 0 || (!stalled && rate > 0 && rate > dirty);
    Long eta = !converging ? null : remaining == 0 ? 0L : ceilDiv(remaining, rate - dirty);
    return new RunProgress(phase, processed, remaining, total, percent(processed, total), rate, eta, converging, at);
  }

  /** The progress of a live migration from its monitor's heartbeat sample, taken {@code at}. */
  public static RunProgress of(String phase, MigrationProgress sample, Instant at) {
    return of(phase, sample.processedBytes(), sample.remainingBytes(), Math.round(sample.mibPerSec() * MIB),
        sample.dirtyRateBytesPerSec(), sample.stalled(), sample.forced(), at);
  }

  /**
   * The progress of a cold or warm move from the heartbeats of its disk and state streams
   * ({@code Transfer.Send}, one per file, running at once), taken {@code at}: their bytes and
   * rates summed, as one copy that nothing re-dirties.
   */
  public static RunProgress ofTransfers(String phase, java.util.List<io.novacron.workflows.transfer.TransferProgress> sends,
      Instant at) {
    long done = 0;
    long remaining = 0;
    long rate = 0;
    for (var send : sends) {
      long sendDone = Math.max(0, send.bytesDone());
      done = saturatedSum(done, sendDone);
      remaining = saturatedSum(remaining, Math.max(0, send.bytesTotal() - sendDone));
      rate = saturatedSum(rate, Math.max(0, Math.round(send.throughputBytesPerSec())));
    }
    return of(phase, done, remaining, rate, 0, false, false, at);
  }

  /** A fraction of 0..1 for a progress bar. */
  public double fraction() {
    return percent / 100.0;
  }

  private static double percent(long processed, long total) {
    if (total == 0) {
      return 0;
    }
    // Floored to one decimal: 100 only when nothing remains, never rounded up to it.
    return Math.floor((double) processed * 1000.0 / total) / 10.0;
  }

  private static long saturatedSum(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  private static long ceilDiv(long dividend, long divisor) {
    return -Math.floorDiv(-dividend, divisor);
  }
}
