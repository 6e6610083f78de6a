package io.novacron.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL of {@code novacron up} lets nobody in without its password: a new
 * cluster and one made before (trust) alike.
 */
class EmbeddedPostgresAuthTest {
  @TempDir
  Path data;

  @Test
  void trust_rules_are_recognised_and_comments_are_not() {
    assertThat(EmbeddedPostgresAuth.trusts("local all all trust\n")).isTrue();
    assertThat(EmbeddedPostgresAuth.trusts("host  all  all  127.0.0.1/32  trust  \n")).isTrue();
    assertThat(EmbeddedPostgresAuth.trusts(EmbeddedPostgresAuth.HBA)).isFalse();
    assertThat(EmbeddedPostgresAuth.trusts("# local all all trust\nlocal all all scram-sha-256 # not trust\n"))
        .isFalse();
  }

  @Test
  void the_password_is_generated_once_with_mode_0600_and_kept() throws Exception {
    Path file = data.resolve(EmbeddedPostgresAuth.PASSWORD_FILE);
    String first = EmbeddedPostgresAuth.password(file);

    assertThat(first).matches("[A-Za-z0-9_-]{43}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(EmbeddedPostgresAuth.password(file)).isEqualTo(first);
    Files.writeString(file, "x'; DROP");
    assertThatThrownBy(() -> EmbeddedPostgresAuth.password(file)).hasMessageContaining("postgres-password");
  }

  @Test
  void a_new_cluster_and_a_trusting_one_from_before_need_the_password() throws Exception {
    int port = freePort();
    // A cluster as earlier versions left it: initdb's trust, no password.
    try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(data.resolve("postgres"))
        .setCleanDataDirectory(false).setPort(port).start();
        Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kept (v text)");
      s.execute("INSERT INTO kept VALUES ('from before')");
    }
    assertThat(EmbeddedPostgresAuth.trusts(Files.readString(data.resolve("postgres/pg_hba.conf")))).isTrue();

    for (int start = 0; start < 2; start++) {
      try (EmbeddedPostgres pg = EmbeddedPostgresConfig.start(data, port)) {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        String password = Files.readString(data.resolve(EmbeddedPostgresAuth.PASSWORD_FILE)).strip();

        assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", ""))
            .isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "wrong"))
            .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        try (Connection c = DriverManager.getConnection(url, "postgres", password);
            ResultSet r = c.createStatement().executeQuery("SELECT v FROM kept")) {
          assertThat(r.next()).isTrue();
          assertThat(r.getString(1)).isEqualTo("from before");
        }
        // What the control plane uses: the embedded server's own DataSource, which sends the password.
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
          assertThat(c.isValid(5)).isTrue();
        }
        assertThat(EmbeddedPostgresAuth.trusts(Files.readString(data.resolve("postgres/pg_hba.conf")))).isFalse();
      }
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
