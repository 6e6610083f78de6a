package io.novacron.host.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.migrate.LiveMigrationRequest;
import io.novacron.workflows.migrate.MigrationOptions;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.libvirt.Domain.MigrateFlags;

class LiveMigrationMonitorFlagsTest {

  private static int flags(MigrationTransport transport) {
    LiveMigrationRequest request = new LiveMigrationRequest("vm", transport.uri(), null, true,
        MigrationOptions.defaults().withAutoConverge(true));
    return new LiveMigrationMonitor(null, request, transport, Clock.systemUTC(), null, null).flags();
  }

  @Test
  void a_node_with_migration_tls_adds_the_tls_flag_to_the_requests_flags() {
    int tls = flags(new MigrationTransport("qemu+tls://10.77.0.2/system", true));
    assertThat(tls & MigrateFlags.TLS).isEqualTo(MigrateFlags.TLS);
    assertThat(tls & MigrateFlags.AUTO_CONVERGE).as("the request's own flags stay").isEqualTo(MigrateFlags.AUTO_CONVERGE);
    assertThat(tls & MigrateFlags.PEER2PEER).isEqualTo(MigrateFlags.PEER2PEER);
  }

  @Test
  void a_node_without_it_does_not() {
    int plain = flags(new MigrationTransport("qemu+tcp://10.77.0.2/system", false));
    assertThat(plain & MigrateFlags.TLS).isZero();
    assertThat(plain | MigrateFlags.TLS).isEqualTo(flags(new MigrationTransport("qemu+tls://10.77.0.2/system", true)));
  }
}
