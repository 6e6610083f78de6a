package io.novacron.bench.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the lab ITs share: where the lab and its script are, whether this machine can run it, and
 * the checks they make from outside the agents (a separate virsh, the guests' console logs).
 */
final class LabFixture {
  static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  static final Path LAB_SCRIPT = REPO.resolve("starter/scripts/lab.sh");
  static final Path LAB = LabNode.labDirectory();

  private static final Pattern HEARTBEAT = Pattern.compile("heartbeat (\\d+)");
  private static final long BEAT_TIMEOUT_MS = 15_000;

  private LabFixture() {}

  /** Skips the test class unless it runs as root on a machine with libvirtd (lab.sh needs both). */
  static void assumeRootWithLibvirtd() {
    assumeTrue("root".equals(System.getProperty("user.name")), "the lab needs root");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/libvirtd")), "the lab needs libvirtd");
  }

  /** Skips the test class unless QEMU is installed (the tests that boot guests themselves). */
  static void assumeQemu() {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "the lab needs QEMU");
  }

  /** The lab's two nodes as a test class opens them. */
  record Nodes(LabTestNode a, LabTestNode b) {}

  /**
   * Brings the lab up ({@code lab.sh up}, no agents) and opens both nodes with {@code setup}; skips
   * the test class unless it runs as root with libvirtd and QEMU. Where node b does not open, node
   * a is closed and the lab taken down again before the failure is thrown.
   */
  static Nodes labUp(LabNode.AgentSetup setup) throws Exception {
    assumeRootWithLibvirtd();
    assumeQemu();
    assertThat(run(LAB_SCRIPT.toString(), "up").exitCode()).isZero();
    LabTestNode a = LabTestNode.open("a", setup);
    try {
      return new Nodes(a, LabTestNode.open("b", setup));
    } catch (Exception | Error e) {
      labDown(a, null);
      throw e;
    }
  }

  /** Closes the nodes that are open and, where node a was opened, takes the lab down ({@code lab.sh down}). */
  static void labDown(LabTestNode a, LabTestNode b) throws Exception {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (a != null) {
      run(LAB_SCRIPT.toString(), "down");
    }
  }

  /** Runs a command to its end; a failure's output goes to stderr, for the test's log. */
  static BenchLab.Result run(String... command) throws Exception {
    BenchLab.Result r = BenchLab.run(command);
    if (r.exitCode() != 0) {
      System.err.println(String.join(" ", command) + " -> " + r.exitCode() + ": " + r.output());
    }
    return r;
  }

  /** The domain's state as a separate virsh process sees it; {@code absent} when undefined. */
  static String domstate(LabTestNode node, String vm) throws Exception {
    BenchLab.Result r = run("virsh", "-c", node.uri(), "domstate", vm);
    return r.exitCode() == 0 ? r.output().strip().split("\n")[0].strip() : "absent";
  }

  /** The last heartbeat number the guest printed on {@code console}; -1 when none (or no log). */
  static long lastHeartbeat(Path console) throws IOException {
    if (!Files.exists(console)) {
      return -1;
    }
    Matcher m = HEARTBEAT.matcher(Files.readString(console, StandardCharsets.UTF_8));
    long last = -1;
    while (m.find()) {
      last = Long.parseLong(m.group(1));
    }
    return last;
  }

  /**
   * The guest's heartbeat goes on, on the new host, past where it stood on the old one, and its
   * console grows from now on (it beats there now, not only once).
   */
  static void assertKeepsBeating(Path console, long lastBefore) throws Exception {
    long size = Files.size(console);
    awaitUpTo(BEAT_TIMEOUT_MS, () -> Files.size(console) > size && lastHeartbeat(console) > lastBefore + 1);
    assertThat(Files.size(console)).as("console of the moved guest grows").isGreaterThan(size);
    assertThat(lastHeartbeat(console)).as("heartbeat continues from where it was")
        .isGreaterThan(lastBefore + 1);
  }

  /** The guest's heartbeat on {@code console} passes where it stood on the old host. */
  static void assertHeartbeatPasses(Path console, long lastBefore) throws Exception {
    awaitUpTo(BEAT_TIMEOUT_MS, () -> lastHeartbeat(console) > lastBefore + 1);
    assertThat(lastHeartbeat(console)).as("heartbeat continues on the target").isGreaterThan(lastBefore + 1);
  }

  /** Something read from the lab's files. */
  @FunctionalInterface
  private interface Condition {
    boolean holds() throws IOException;
  }

  /** Polls every 500 ms until {@code done} or the time is up; the caller asserts what it waited for. */
  private static void awaitUpTo(long timeoutMs, Condition done) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline && !done.holds()) {
      Thread.sleep(500);
    }
  }
}
