package io.novacron.control.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.control.inventory.NodeLoad;
import io.novacron.control.inventory.NodeRow;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CapacitySamplerTest {
  private static final Duration THIRTY_S = Duration.ofSeconds(30);

  @Test
  void replicasSamplingWithinOneIntervalNameTheSameTick() {
    Instant a = CapacitySampler.tick(Instant.parse("2026-12-06T10:00:31.250Z"), THIRTY_S);
    Instant b = CapacitySampler.tick(Instant.parse("2026-12-06T10:00:59.999Z"), THIRTY_S);
    Instant next = CapacitySampler.tick(Instant.parse("2026-12-06T10:01:00Z"), THIRTY_S);

    assertThat(a).isEqualTo(b).isEqualTo(Instant.parse("2026-12-06T10:00:30Z"));
    assertThat(next).isEqualTo(Instant.parse("2026-12-06T10:01:00Z"));
  }

  @Test
  void aZeroIntervalIsRefusedByName() {
    assertThatThrownBy(() -> CapacitySampler.tick(Instant.EPOCH, Duration.ZERO))
        .hasMessageContaining("novacron.samples.node-interval-millis");
  }

  @Test
  void aSampleCountsAsTheNodesPageBars() {
    NodeRow node = new NodeRow("n1", "h", "cpu", 16, 65536, "qemu:///system", "QEMU", "kvm", 500, 120, "", "1",
        10, Instant.EPOCH, null, null, null, null, 0, null, Instant.EPOCH, null, null, null, null);
    Instant at = Instant.parse("2026-12-06T10:00:30Z");

    CapacitySamples.Sample s = CapacitySampler.of(node, new NodeLoad.Reserved(6, 8192, 40, 3), at);

    assertThat(s).isEqualTo(new CapacitySamples.Sample("n1", at, 6, 16, 8192, 65536, 380, 500, 3));
  }
}
