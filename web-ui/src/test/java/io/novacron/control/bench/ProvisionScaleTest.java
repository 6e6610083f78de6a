package io.novacron.control.bench;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The provisioning scale benchmark's CI subset: 20 ProvisionVm runs at once onto 5 test-driver
 * nodes, with every check of the full run (every run SUCCEEDED, each VM running on exactly one
 * node). Its report goes to target/scale-ci; the figures that count are the bench's.
 */
class ProvisionScaleTest extends ProvisionScaleHarness {
  private static final Scale SCALE = new Scale(5, 20, 10, Path.of("target/scale-ci"));

  @Test
  void twentyRunsAtOnceAllSucceedAndEachVmRunsOnce() throws Exception {
    provision(SCALE);
  }
}
