package io.novacron.transfer;

import io.novacron.transfer.codec.CodecSelector;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the attempts of one send share: wire-byte and attempt counters (seeded from the previous
 * Temporal attempt's heartbeat), the codec selector's learning, the cap, the listener.
 */
final class SendContext {
  private final AtomicLong wireBytes;
  private final AtomicInteger attempts;
  private final CodecSelector selector;
  private final RateLimiter limiter;
  private final ProgressListener listener;
  private final SenderSettings settings;
  private final TransferTls tls;

  SendContext(long wireBytes, int attempts, CodecSelector selector, RateLimiter limiter, ProgressListener listener,
      SenderSettings settings, TransferTls tls) {
    this.wireBytes = new AtomicLong(wireBytes);
    this.attempts = new AtomicInteger(attempts);
    this.selector = selector;
    this.limiter = limiter;
    this.listener = listener;
    this.settings = settings;
    this.tls = tls;
  }

  AtomicLong wireBytes() {
    return wireBytes;
  }

  int attempts() {
    return attempts.get();
  }

  int nextAttempt() {
    return attempts.incrementAndGet();
  }

  CodecSelector selector() {
    return selector;
  }

  RateLimiter limiter() {
    return limiter;
  }

  ProgressListener listener() {
    return listener;
  }

  SenderSettings settings() {
    return settings;
  }

  /** Mutual TLS for the connections, or null for plaintext. */
  TransferTls tls() {
    return tls;
  }
}
