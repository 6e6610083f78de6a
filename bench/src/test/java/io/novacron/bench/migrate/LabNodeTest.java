package io.novacron.bench.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.bench.migrate.LabNode.AgentSetup;
import io.novacron.host.migrate.MigrationTransport;
import org.junit.jupiter.api.Test;

class LabNodeTest {
  @Test
  void lab_nodes_have_the_addresses_lab_sh_gives_them() {
    assertThat(LabNode.ip("a")).isEqualTo("10.77.0.1");
    assertThat(LabNode.ip("b")).isEqualTo("10.77.0.2");
  }

  @Test
  void a_node_the_lab_does_not_have_is_refused() {
    assertThatThrownBy(() -> LabNode.ip("c")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a or b").hasMessageContaining("c");
  }

  @Test
  void the_plain_agent_offers_qemu_tcp_and_leaves_the_stream_in_the_clear() {
    assertThat(AgentSetup.PLAIN.transport("10.77.0.2"))
        .isEqualTo(new MigrationTransport("qemu+tcp://10.77.0.2/system", false));
    assertThat(AgentSetup.PLAIN.transferEngine()).isTrue();
  }

  @Test
  void the_tls_agent_offers_qemu_tls_and_encrypts_the_stream() {
    assertThat(AgentSetup.TLS.transport("10.77.0.1"))
        .isEqualTo(new MigrationTransport("qemu+tls://10.77.0.1/system", true));
    assertThat(AgentSetup.TLS.transferEngine()).isFalse();
  }
}
