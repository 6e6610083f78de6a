package io.novacron.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HostAgentConfigTest {
  private static final String[] NODE = {"--node=lab-a"};

  @Test
  void migration_tls_is_off_by_default_and_the_uri_plain_tcp() {
    HostAgentConfig config = HostAgentConfig.from(NODE, Map.of());
    assertThat(config.migrationTls()).isFalse();
    assertThat(config.migrationUri()).startsWith("qemu+tcp://").endsWith("/system");
  }

  @Test
  void migration_tls_from_the_environment_turns_the_default_uri_to_qemu_tls() {
    HostAgentConfig config = HostAgentConfig.from(NODE, Map.of("NOVACRON_MIGRATION_TLS", "true"));
    assertThat(config.migrationTransport().tls()).isTrue();
    assertThat(config.migrationUri()).startsWith("qemu+tls://");
  }

  @Test
  void an_explicit_migration_uri_wins_over_the_default() {
    HostAgentConfig config = HostAgentConfig.from(
        new String[] {"--node=lab-a", "--migration-tls=TRUE", "--migration-uri=qemu+tls://10.77.0.1/system"}, Map.of());
    assertThat(config.migrationTransport()).isEqualTo(
        new io.novacron.host.migrate.MigrationTransport("qemu+tls://10.77.0.1/system", true));
  }

  @Test
  void a_setting_that_is_not_a_boolean_names_the_setting() {
    assertThatThrownBy(() -> HostAgentConfig.from(NODE, Map.of("NOVACRON_MIGRATION_TLS", "yes please")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NOVACRON_MIGRATION_TLS").hasMessageContaining("true or false");
  }
}
