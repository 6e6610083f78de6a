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
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane reaches its embedded PostgreSQL as the role {@code novacron}, which owns its
 * schema and nothing else: on a new cluster, and on one whose tables earlier versions made as the
 * superuser.
 */
class EmbeddedPostgresRoleTest {
  @TempDir
  Path data;

  @Test
  void quoting_doubles_quotes() {
    assertThat(EmbeddedPostgresRole.quoted("runs")).isEqualTo("\"runs\"");
    assertThat(EmbeddedPostgresRole.quoted("a\"b")).isEqualTo("\"a\"\"b\"");
  }

  @Test
  void a_new_cluster_is_migrated_by_the_role_which_cannot_act_as_an_administrator() throws Exception {
    int port = freePort();
    try (EmbeddedPostgres pg = EmbeddedPostgresConfig.start(data, port)) {
      String password = EmbeddedPostgresConfig.rolePassword(data);
      Path file = data.resolve(EmbeddedPostgresRole.PASSWORD_FILE);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(password).isNotEqualTo(Files.readString(data.resolve(EmbeddedPostgresAuth.PASSWORD_FILE)).strip());

      // V1..V14 as the role, as the control plane runs them.
      Flyway.configure().dataSource(url(port), "novacron", password).locations("classpath:db/migration").load()
          .migrate();

      try (Connection c = DriverManager.getConnection(url(port), "novacron", password);
          Statement s = c.createStatement()) {
        assertThat(attributes(s)).isEqualTo("login=true super=false createrole=false createdb=false");
        assertThat(notOwnedByRole(s)).isEmpty();
        assertThatThrownBy(() -> s.execute("CREATE ROLE intruder")).isInstanceOf(SQLException.class)
            .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> s.execute("CREATE DATABASE other")).isInstanceOf(SQLException.class)
            .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> s.execute("COPY (SELECT 1) TO PROGRAM 'true'")).isInstanceOf(SQLException.class);
      }
      assertThatThrownBy(() -> DriverManager.getConnection(url(port), "novacron", "wrong"))
          .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
    }
  }

  @Test
  void a_cluster_whose_tables_the_superuser_owns_hands_them_to_the_role_and_keeps_the_rows() throws Exception {
    int port = freePort();
    // As earlier versions left it: initdb's trust, schema migrated and rows written as postgres.
    try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(data.resolve("postgres"))
        .setCleanDataDirectory(false).setPort(port).start()) {
      Flyway.configure().dataSource(old.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
      try (Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("INSERT INTO launch_keys (run_id, request) VALUES ('provision-kept', '{}')");
        s.execute("CREATE SEQUENCE loose_seq");
      }
    }

    for (int start = 0; start < 2; start++) {
      try (EmbeddedPostgres pg = EmbeddedPostgresConfig.start(data, port)) {
        String password = EmbeddedPostgresConfig.rolePassword(data);
        try (Connection c = DriverManager.getConnection(url(port), "novacron", password);
            Statement s = c.createStatement()) {
          assertThat(notOwnedByRole(s)).isEmpty();
          try (ResultSet r = s.executeQuery("SELECT request FROM launch_keys WHERE run_id = 'provision-kept'")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).isEqualTo("{}");
          }
          // Owner, not just reader: a later migration may alter the tables; serial sequences moved too.
          s.execute("ALTER TABLE launch_keys ADD COLUMN IF NOT EXISTS probe int");
          s.execute("ALTER TABLE launch_keys DROP COLUMN probe");
          s.execute("SELECT nextval('loose_seq')");
        }
        // Flyway, now as the role, finds its history valid and nothing to do.
        assertThat(Flyway.configure().dataSource(url(port), "novacron", password)
            .locations("classpath:db/migration").load().migrate().migrationsExecuted).isZero();
      }
    }
  }

  private static String attributes(Statement s) throws SQLException {
    try (ResultSet r = s.executeQuery("SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles"
        + " WHERE rolname = 'novacron'")) {
      assertThat(r.next()).isTrue();
      return "login=" + r.getBoolean(1) + " super=" + r.getBoolean(2) + " createrole=" + r.getBoolean(3)
          + " createdb=" + r.getBoolean(4);
    }
  }

  /** The schema and relations of {@code public} another role owns; the schema counts as "public". */
  private static List<String> notOwnedByRole(Statement s) throws SQLException {
    List<String> others = new ArrayList<>();
    try (ResultSet r = s.executeQuery("""
        SELECT 'public' FROM pg_namespace WHERE nspname = 'public' AND pg_get_userbyid(nspowner) <> 'novacron'
        UNION ALL
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) <> 'novacron'""")) {
      while (r.next()) {
        others.add(r.getString(1));
      }
    }
    return others;
  }

  private static String url(int port) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
