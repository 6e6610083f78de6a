package io.novacron.transfer;

/**
 * The bandwidth cap: a token bucket shared by a transfer's streams. A burst of up to
 * {@value #BURST_MILLIS} ms worth of bytes passes at once so that one large frame does not wait
 * for a bucket it could never fill.
 */
final class RateLimiter {
  static final long BURST_MILLIS = 50;
  private final double bytesPerNano;
  private final long burstNanos;
  private long nextFree = System.nanoTime();

  /** @param bytesPerSec the cap; 0 or less for none */
  RateLimiter(long bytesPerSec) {
    this.bytesPerNano = bytesPerSec > 0 ? bytesPerSec / 1e9 : 0;
    this.burstNanos = BURST_MILLIS * 1_000_000;
  }

  /** Waits until {@code bytes} more may go on the wire. */
  void acquire(int bytes) throws InterruptedException {
    if (bytesPerNano <= 0) {
      return;
    }
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      long start = Math.max(now - burstNanos, nextFree);
      nextFree = start + (long) (bytes / bytesPerNano);
      wait = nextFree - now - burstNanos;
    }
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }
}
