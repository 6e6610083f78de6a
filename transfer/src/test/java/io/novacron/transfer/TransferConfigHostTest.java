package io.novacron.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class TransferConfigHostTest {
  @Test
  void the_default_host_is_this_machines_name() throws UnknownHostException {
    InetAddress named = InetAddress.getByAddress("node-7", new byte[] {10, 0, 0, 7});

    assertThat(TransferConfig.ownHostName(() -> named)).isEqualTo("node-7");
  }

  @Test
  void a_host_name_that_does_not_resolve_is_a_start_up_error_naming_the_setting_and_the_fix() {
    assertThatThrownBy(() -> TransferConfig.ownHostName(() -> {
      throw new UnknownHostException("vm: vm: Temporary failure in name resolution");
    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NOVACRON_TRANSFER_HOST")
        .hasMessageContaining("vm: Temporary failure in name resolution")
        .hasMessageContaining("/etc/hosts");
  }
}
