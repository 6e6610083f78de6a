package io.novacron.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.novacron.chaos.ChaosCase.Fault;
import io.novacron.chaos.ChaosCase.Phase;
import io.novacron.chaos.ChaosRunner.CaseResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chaos matrix ({@link ChaosCase}) on the real stack and the two-node lab: migrations
 * ({@link ChaosRunner}), provisioning and power actions ({@link LifecycleRunner}). CI runs its
 * subset ({@link ChaosCase#ci}); {@code novacron chaos} runs every case and writes
 * docs/bench/chaos.md.
 *
 * <p>Settings: {@code -Dchaos.cases=ci|all|<ids>}, {@code -Dchaos.report=<file.md>} (default
 * target/chaos/chaos.md), {@code -Dchaos.cancelRounds=N} (live cancels timed for the latency
 * figure; 0 in CI). Needs root, libvirtd, QEMU, the Temporal CLI and the built jars.
 */
class ChaosIT {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  private static final Path WORK = Path.of("").toAbsolutePath().resolve("target/chaos");

  @Test
  void every_case_ends_with_exactly_one_intact_copy_and_nothing_left_behind() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "the lab needs root");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/libvirtd")), "the lab needs libvirtd");
    assumeTrue(new ProcessBuilder("sh", "-c", "command -v temporal").start().waitFor() == 0, "needs the temporal CLI");
    assumeTrue(Files.exists(REPO.resolve("web-ui/target")) && Files.list(REPO.resolve("web-ui/target"))
        .anyMatch(p -> p.toString().endsWith("-exec.jar")), "needs the control plane jar (mvn package)");
    List<ChaosCase> cases = ChaosCase.select(System.getProperty("chaos.cases", "ci"));
    int cancelRounds = Integer.getInteger("chaos.cancelRounds", 0);
    Path report = Path.of(System.getProperty("chaos.report", WORK.resolve("chaos.md").toString()));
    Files.createDirectories(WORK);

    List<CaseResult> results = new ArrayList<>();
    List<Long> latencies = new ArrayList<>();
    Instant started = Instant.now();
    String load = loadAverage();
    try (ChaosStack stack = ChaosStack.up(REPO, WORK); LabView lab = new LabView(stack)) {
      ChaosRunner runner = new ChaosRunner(stack, lab);
      LifecycleRunner lifecycle = new LifecycleRunner(stack, lab);
      ChaosGuest guest = ChaosGuest.provision(stack, lab, WORK);
      List<String> commands = stack.commands();
      for (ChaosCase c : cases) {
        CaseResult result;
        try {
          stack.ensureUp();
          result = c.migrates() ? runner.run(c, guest) : lifecycle.run(c);
          stack.saveHistory(result.runId(), WORK.resolve("histories").resolve(c.id().replace('/', '_')
              .replace("%", "") + ".json"));
        } catch (Exception e) {
          // The harness itself could not go on (a restart that failed, say): the case fails, the
          // matrix goes on with a fresh guest on a whole stack.
          result = new CaseResult(c, "?", "harness error", String.valueOf(e.getMessage()), "?", "?", -1, -1, -1,
              List.of(new ChaosRunner.Check("the harness ran the case", false, String.valueOf(e))));
        }
        results.add(result);
        System.out.printf("chaos %-36s %-12s %-10s %6.1f s  %s%n", c.id(), result.outcome(), result.runState(),
            result.settleSeconds(), result.passed() ? "ok" : "FAILED " + result.failures());
        if (!result.passed() && c.migrates()) {
          guest = replace(stack, lab, guest);
        }
        // Written after every case: a matrix cut short still reports what it ran.
        ChaosReport.write(report, results, latencies, commands, machine(load), started, Instant.now());
      }
      for (int i = 0; i < cancelRounds; i++) {
        stack.ensureUp();
        CaseResult result = runner.run(new ChaosCase("live", Fault.CANCEL, Phase.TRANSFER), guest);
        if (result.cancelLatencyMs() >= 0) {
          latencies.add(result.cancelLatencyMs());
        }
        System.out.printf("chaos cancel round %d: %d ms, %s%n", i + 1, result.cancelLatencyMs(),
            result.passed() ? "ok" : "FAILED " + result.failures());
        if (!result.passed()) {
          results.add(result);
          guest = replace(stack, lab, guest);
        }
      }
      ChaosReport.write(report, results, latencies, commands, machine(load), started, Instant.now());
    }
    System.out.println("chaos report: " + report);
    assertThat(results).as("cases that failed a check").allMatch(CaseResult::passed);
  }

  /** A case that broke the guest (its copy lost or doubled): the next case gets a fresh one. */
  private static ChaosGuest replace(ChaosStack stack, LabView lab, ChaosGuest broken) throws Exception {
    stack.ensureUp();
    lab.wipe(broken.name);
    return ChaosGuest.provision(stack, lab, WORK);
  }

  private static String loadAverage() throws Exception {
    return Files.readString(Path.of("/proc/loadavg")).strip();
  }

  private static String machine(String loadBefore) throws Exception {
    return Runtime.getRuntime().availableProcessors() + " CPUs, guests under QEMU TCG; load average before: "
        + loadBefore + ", after: " + loadAverage() + ".";
  }
}
