package io.novacron.host.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.libvirt.Domain.MigrateFlags;

class MigrationTransportTest {

  @Test
  void tls_adds_libvirts_tls_flag_and_plain_adds_nothing() {
    assertThat(new MigrationTransport("qemu+tls://10.77.0.2/system", true).flags()).isEqualTo(MigrateFlags.TLS);
    assertThat(new MigrationTransport("qemu+tcp://10.77.0.2/system", false).flags()).isZero();
  }

  @Test
  void the_default_uri_follows_the_setting() {
    assertThat(MigrationTransport.defaultUri("node-b", true)).isEqualTo("qemu+tls://node-b/system");
    assertThat(MigrationTransport.defaultUri("node-b", false)).isEqualTo("qemu+tcp://node-b/system");
  }

  @Test
  void with_tls_a_target_reached_over_plain_tcp_is_refused_with_the_fix() {
    MigrationTransport tls = new MigrationTransport("qemu+tls://10.77.0.1/system", true);
    assertThat(tls.refusal("qemu+tcp://10.77.0.2/system")).hasValueSatisfying(why -> assertThat(why)
        .contains("qemu+tcp://10.77.0.2/system", "NOVACRON_MIGRATION_TLS=true", "qemu+tls://"));
    assertThat(tls.refusal("QEMU+TCP://10.77.0.2/system")).isPresent();
  }

  @Test
  void with_tls_encrypted_control_channels_are_accepted() {
    MigrationTransport tls = new MigrationTransport("qemu+tls://10.77.0.1/system", true);
    assertThat(tls.refusal("qemu+tls://10.77.0.2/system")).isEmpty();
    assertThat(tls.refusal("qemu+ssh://root@10.77.0.2/system")).isEmpty();
    // libvirt's remote default, without a transport, is TLS.
    assertThat(tls.refusal("qemu://10.77.0.2/system")).isEmpty();
  }

  @Test
  void without_tls_any_target_is_accepted() {
    assertThat(new MigrationTransport("qemu+tcp://10.77.0.1/system", false).refusal("qemu+tcp://10.77.0.2/system"))
        .isEmpty();
  }

  @Test
  void the_transport_is_the_part_of_the_scheme_after_the_plus() {
    assertThat(MigrationTransport.transport("qemu+unix:///system?socket=/x/libvirt-sock")).isEqualTo("unix");
    assertThat(MigrationTransport.transport("qemu:///system")).isEmpty();
    assertThat(MigrationTransport.transport("not a uri+tcp")).isEmpty();
  }

  @Test
  void an_empty_uri_names_the_setting() {
    assertThatThrownBy(() -> new MigrationTransport(" ", true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NOVACRON_MIGRATION_URI");
  }
}
