package io.novacron.bench.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A real link: a veth pair between this JVM's network namespace (the sender's) and a receiver
 * namespace, rate-limited in the kernel with a {@code tbf} qdisc on both ends, bytes counted by the
 * veth's own counters (so TCP/IP headers and retransmissions count, as on a real wire).
 *
 * <p>This kernel has no {@code sch_netem} ("Specified qdisc kind is unknown"), so delay cannot be
 * added with tc: when a profile asks for one, a delay-only {@link LinkProxy} runs inside the
 * receiver namespace behind the veth. The rate is the kernel's either way.
 */
final class VethLink implements BenchLink {
  private final NetworkNamespace receiver;
  private final String localDevice;
  private final String peerDevice;
  private final String receiverHost;
  private final long mbit;
  private final long oneWayDelayMillis;

  /**
   * @param receiver the receiver's namespace (the script that starts the bench made it)
   * @param localDevice the veth end in this namespace
   * @param peerDevice the veth end in the receiver's namespace
   * @param receiverHost the receiver's address on the veth
   * @param mbit the rate each way
   * @param oneWayDelayMillis delay each way (0 for none)
   */
  VethLink(NetworkNamespace receiver, String localDevice, String peerDevice, String receiverHost, long mbit,
      long oneWayDelayMillis) throws IOException, InterruptedException {
    this.receiver = receiver;
    this.localDevice = localDevice;
    this.peerDevice = peerDevice;
    this.receiverHost = receiverHost;
    this.mbit = mbit;
    this.oneWayDelayMillis = oneWayDelayMillis;
    shape(List.of(), localDevice);
    shape(List.of("ip", "netns", "exec", receiver.name()), peerDevice);
  }

  /**
   * tbf on one end. The burst must hold at least one tick's worth of the rate (a 250 Hz kernel
   * releases 1/250 s at a time) or the link runs below its rate.
   */
  private void shape(List<String> prefix, String device) throws IOException, InterruptedException {
    long burstKb = Math.max(64, mbit * 1000 / 8 / 250 * 2 / 1024 + 1);
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of("tc", "qdisc", "replace", "dev", device, "root", "tbf", "rate", mbit + "mbit",
        "burst", burstKb + "kb", "latency", "100ms"));
    run(cmd);
  }

  @Override
  public String description() {
    return String.format(Locale.ROOT, "veth %s <-> %s (namespace %s, %s), %d Mbit/s each way by a tbf qdisc on both ends%s; "
        + "wire bytes from the veth's counters", localDevice, peerDevice, receiver.name(), receiverHost, mbit,
        oneWayDelayMillis > 0
            ? ", plus " + 2 * oneWayDelayMillis + " ms RTT from a delay-only userspace proxy in the receiver's namespace "
                + "(this kernel has no sch_netem)"
            : ", no added delay");
  }

  @Override
  public String receiverHost() {
    return receiverHost;
  }

  @Override
  public List<String> atReceiver(List<String> command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", receiver.name()));
    cmd.addAll(command);
    return cmd;
  }

  @Override
  public <T> T inReceiver(Callable<T> work) throws Exception {
    return receiver.call(work);
  }

  @Override
  public Route route(int receiverPort) throws Exception {
    long start = counters();
    LinkProxy delay = oneWayDelayMillis > 0
        ? receiver.call(() -> new LinkProxy(receiverHost, receiverHost, receiverPort, 0, oneWayDelayMillis))
        : null;
    return new Route() {
      @Override
      public String host() {
        return receiverHost;
      }

      @Override
      public int port() {
        return delay != null ? delay.port() : receiverPort;
      }

      @Override
      public long wireBytes() throws IOException {
        return counters() - start;
      }

      @Override
      public long cpuNanos() {
        return delay != null ? delay.cpuNanos() : 0;
      }

      @Override
      public long connections() {
        return delay != null ? delay.connections() : -1;
      }

      @Override
      public void close() {
        if (delay != null) {
          delay.close();
        }
      }
    };
  }

  /** Bytes sent plus received on the local end (what the receiver's end saw, mirrored). */
  private long counters() throws IOException {
    Path stats = Path.of("/sys/class/net", localDevice, "statistics");
    return Long.parseLong(Files.readString(stats.resolve("tx_bytes")).trim())
        + Long.parseLong(Files.readString(stats.resolve("rx_bytes")).trim());
  }

  @Override
  public void close() throws IOException, InterruptedException {
    // The script that made the namespaces removes them; only the shaping is undone here.
    run(List.of("tc", "qdisc", "del", "dev", localDevice, "root"));
    run(atReceiver(List.of("tc", "qdisc", "del", "dev", peerDevice, "root")));
  }

  private static void run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out.trim());
    }
  }
}
