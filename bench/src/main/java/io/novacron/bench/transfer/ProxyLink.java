package io.novacron.bench.transfer;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * Loopback through a {@link LinkProxy}: the fallback where no network namespaces can be made (not
 * root), and the "loopback" profile. Shaping, if any, is the proxy's token bucket and delay queue.
 */
final class ProxyLink implements BenchLink {
  private final long bytesPerSec;
  private final long oneWayDelayMillis;

  ProxyLink(long bytesPerSec, long oneWayDelayMillis) {
    this.bytesPerSec = bytesPerSec;
    this.oneWayDelayMillis = oneWayDelayMillis;
  }

  @Override
  public String description() {
    return bytesPerSec == 0 && oneWayDelayMillis == 0
        ? "127.0.0.1 through a counting userspace proxy, no shaping"
        : String.format(java.util.Locale.ROOT, "127.0.0.1 through a userspace proxy shaping %.0f Mbit/s each way and %d ms RTT"
            + " (no network namespaces: not root)", bytesPerSec * 8 / 1e6, 2 * oneWayDelayMillis);
  }

  @Override
  public String receiverHost() {
    return "127.0.0.1";
  }

  @Override
  public List<String> atReceiver(List<String> command) {
    return command;
  }

  @Override
  public <T> T inReceiver(Callable<T> work) throws Exception {
    return work.call();
  }

  @Override
  public Route route(int receiverPort) throws Exception {
    LinkProxy proxy = new LinkProxy("127.0.0.1", "127.0.0.1", receiverPort, bytesPerSec, oneWayDelayMillis);
    return new Route() {
      @Override
      public String host() {
        return "127.0.0.1";
      }

      @Override
      public int port() {
        return proxy.port();
      }

      @Override
      public long wireBytes() {
        return proxy.bytes();
      }

      @Override
      public long cpuNanos() {
        return proxy.cpuNanos();
      }

      @Override
      public long connections() {
        return proxy.connections();
      }

      @Override
      public void close() {
        proxy.close();
      }
    };
  }

  @Override
  public void close() {}
}
