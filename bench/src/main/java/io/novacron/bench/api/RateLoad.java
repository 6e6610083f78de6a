package io.novacron.bench.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An open-loop load at a fixed rate, which wrk (Debian's, without -R) cannot give: request i is due
 * at {@code start + i / rate} and is sent then whatever earlier answers are still out, and its
 * latency counts from when it was due, not from when it was sent. A server that falls behind thus
 * shows its queueing in the percentiles instead of quietly lowering the offered rate (coordinated
 * omission).
 */
final class RateLoad {
  /** What one fixed-rate round measured. */
  record Result(int targetPerSecond, int seconds, long sent, long ok, long errors, double achievedPerSecond,
      long p50Micros, long p95Micros, long p99Micros, long maxMicros) {}

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  Result run(URI uri, String token, int perSecond, int seconds) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
        .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).GET().build();
    int total = perSecond * seconds;
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicLong errors = new AtomicLong();
    CompletableFuture<?>[] pending = new CompletableFuture<?>[total];
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = start + i * 1_000_000_000L / perSecond;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      pending[i] = http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
        if (failure != null || response.statusCode() >= 400) {
          errors.incrementAndGet();
        } else {
          latencies.add((System.nanoTime() - due) / 1000);
        }
        return null;
      });
    }
    CompletableFuture.allOf(pending).join();
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] values = latencies.stream().mapToLong(Long::longValue).toArray();
    return new Result(perSecond, seconds, total, values.length, errors.get(), values.length / elapsed,
        Percentiles.of(values, 50), Percentiles.of(values, 95), Percentiles.of(values, 99), Percentiles.of(values, 100));
  }
}
