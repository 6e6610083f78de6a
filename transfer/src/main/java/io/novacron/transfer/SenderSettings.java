package io.novacron.transfer;

import java.time.Duration;

/**
 * How persistent a sender is.
 *
 * @param maxAttempts connection attempts per send before the failure goes to Temporal (whose own
 *     retry then resumes from the receiver's journal again)
 * @param firstBackoff wait before the second attempt; doubles up to {@code maxBackoff}
 * @param maxBackoff longest wait between attempts
 * @param connectTimeout TCP connect timeout
 * @param readTimeout longest silence from the receiver (it acknowledges every Flush, and sends
 *     keep-alives while it hashes at commit)
 * @param stallTimeout longest time without an acknowledgement while blocks are outstanding
 * @param progressInterval how often the listener hears about progress
 */
public record SenderSettings(
    int maxAttempts, Duration firstBackoff, Duration maxBackoff, Duration connectTimeout,
    Duration readTimeout, Duration stallTimeout, Duration progressInterval) {

  public static SenderSettings defaults() {
    return new SenderSettings(5, Duration.ofMillis(250), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(1));
  }

  public SenderSettings withMaxAttempts(int value) {
    return new SenderSettings(value, firstBackoff, maxBackoff, connectTimeout, readTimeout, stallTimeout, progressInterval);
  }

  public SenderSettings withProgressInterval(Duration value) {
    return new SenderSettings(maxAttempts, firstBackoff, maxBackoff, connectTimeout, readTimeout, stallTimeout, value);
  }

  public SenderSettings withFirstBackoff(Duration value) {
    return new SenderSettings(maxAttempts, value, maxBackoff, connectTimeout, readTimeout, stallTimeout, progressInterval);
  }
}
