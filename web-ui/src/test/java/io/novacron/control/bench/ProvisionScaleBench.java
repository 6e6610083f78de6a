package io.novacron.control.bench;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The provisioning scale benchmark ({@code novacron bench scale}, docs/bench/scale.md):
 * {@code novacron.bench.vms} (500) runs onto {@code novacron.bench.nodes} (50) nodes from
 * {@code novacron.bench.senders} (50) client threads. Not a CI test (its name ends in neither Test
 * nor IT); {@link ProvisionScaleTest} is its CI subset.
 */
class ProvisionScaleBench extends ProvisionScaleHarness {
  private static final Scale SCALE = new Scale(Integer.getInteger("novacron.bench.nodes", 50),
      Integer.getInteger("novacron.bench.vms", 500), Integer.getInteger("novacron.bench.senders", 50),
      Path.of(System.getProperty("novacron.bench.out", "target/scale-bench")));

  @Test
  void everyProvisioningRunCompletesAndEachVmRunsOnce() throws Exception {
    provision(SCALE);
  }
}
