package io.novacron.control.bench;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The drain benchmark at full scale (200 VMs, 20 nodes by default). Not a CI test (its name ends
 * in neither Test nor IT): {@code novacron bench drain} runs it and writes docs/bench/drain.md.
 */
class DrainScaleBench extends DrainScaleHarness {
  private static final Scale SCALE = new Scale(
      Integer.getInteger("novacron.bench.nodes", 20),
      Integer.getInteger("novacron.bench.vms", 200),
      Integer.getInteger("novacron.bench.parallel", 8),
      Integer.getInteger("novacron.bench.sources", 2),
      Path.of(System.getProperty("novacron.bench.out", "target/drain-bench")));

  @DynamicPropertySource
  static void slots(DynamicPropertyRegistry registry) {
    slots(registry, SCALE);
  }

  @Test
  void drainTwoFullNodes() throws Exception {
    drain(SCALE);
  }
}
