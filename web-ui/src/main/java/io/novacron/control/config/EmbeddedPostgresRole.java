package io.novacron.control.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's own login role in the embedded PostgreSQL: {@code novacron}, LOGIN without
 * SUPERUSER, CREATEROLE or CREATEDB, owning the schema Flyway migrates ({@code public} of the
 * {@code postgres} database, where the records have always been) and everything in it. A bug or an
 * injected statement in the control plane then reaches its own tables, not the cluster: it cannot
 * read files through {@code COPY ... FROM PROGRAM}, make roles or change pg_hba. The superuser's
 * password ({@link EmbeddedPostgresAuth}) stays for an administrator.
 *
 * <p>Run at every start, as the superuser, before the pool opens. Idempotent: a new cluster gets
 * the role and an empty schema it owns; a cluster from before (tables, sequences and Flyway's
 * history owned by {@code postgres}) gets its objects handed over, rows untouched. The data stays in
 * the {@code postgres} database: moving it to a database of its own would need exclusive access to
 * rename it, or a dump and restore.
 */
final class EmbeddedPostgresRole {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresRole.class);
  static final String ROLE = "novacron";
  static final String PASSWORD_FILE = "novacron-password";
  static final String SCHEMA = "public";
  /** The role SQL, shared with scripts: see its header for the inputs. */
  static final String ROLE_SQL = "/db/role/login-role.sql";

  private EmbeddedPostgresRole() {}

  /**
   * Creates or repairs the role with {@code password} and gives it the schema and every table,
   * view and sequence in it that another role owns.
   *
   * @param superuser connections as the superuser
   * @param password the role's password, as {@link EmbeddedPostgresAuth#password} returns it
   *     (no quote can occur in it)
   */
  static void ensure(DataSource superuser, String password) throws IOException, SQLException {
    try (Connection c = superuser.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement(
          "SELECT set_config('novacron.role_name', ?, true), set_config('novacron.role_password', ?, true)")) {
        p.setString(1, ROLE);
        p.setString(2, password);
        p.execute();
      }
      List<String> moved = new ArrayList<>();
      try (Statement s = c.createStatement()) {
        s.execute("SET LOCAL password_encryption = 'scram-sha-256'");
        s.execute(roleSql());
        s.execute("ALTER SCHEMA " + SCHEMA + " OWNER TO " + ROLE);
        // Tables carry their indexes and owned (serial/identity) sequences along; a sequence not
        // owned by a column would be left, so those are listed too.
        try (ResultSet r = s.executeQuery("""
            SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
              AND pg_get_userbyid(c.relowner) <> 'novacron'
            ORDER BY c.relkind DESC, c.relname""")) {
          while (r.next()) {
            moved.add(r.getString(1));
          }
        }
        for (String relation : moved) {
          // ALTER TABLE serves views and sequences too. Sequences come last: one a table owns has
          // moved with it by then, and altering it again is a no-op (directly it would be refused).
          s.execute("ALTER TABLE " + SCHEMA + "." + quoted(relation) + " OWNER TO " + ROLE);
        }
      }
      c.commit();
      if (!moved.isEmpty()) {
        log.info("embedded PostgreSQL: {} relations in schema {} now owned by role {} (was the superuser): {}",
            moved.size(), SCHEMA, ROLE, moved);
      }
    }
  }

  /** An identifier as SQL quotes it: the names come from pg_class, and any may hold a quote. */
  static String quoted(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  static String roleSql() throws IOException {
    try (InputStream in = EmbeddedPostgresRole.class.getResourceAsStream(ROLE_SQL)) {
      if (in == null) {
        throw new IllegalStateException(ROLE_SQL + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
