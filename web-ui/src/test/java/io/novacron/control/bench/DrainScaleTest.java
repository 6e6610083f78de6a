package io.novacron.control.bench;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The drain benchmark's CI subset: 12 VMs on 2 of 5 test-driver nodes, drained at once, with every
 * check of the full run (each VM running exactly once off the drained nodes, the migration limit
 * held). Its report goes to target/drain-ci; the figures that count are the bench's.
 */
class DrainScaleTest extends DrainScaleHarness {
  private static final Scale SCALE = new Scale(5, 12, 2, 2, Path.of("target/drain-ci"));

  @DynamicPropertySource
  static void slots(DynamicPropertyRegistry registry) {
    slots(registry, SCALE);
  }

  @Test
  void twoNodesAreDrainedAtOnceAndEveryVmRunsExactlyOnceElsewhere() throws Exception {
    drain(SCALE);
  }
}
