package io.novacron.control.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Password authentication for the embedded PostgreSQL. Its initdb trusts every local connection
 * as any user, the superuser included: any process on the machine could read or rewrite the
 * control plane's records. So the superuser gets a generated password, kept in
 * {@code <data-dir>/postgres-password} (0600, beside {@code postgres/}), and pg_hba.conf accepts
 * only SCRAM-SHA-256 (no {@code trust} line).
 *
 * <p>A cluster that still trusts (a new one, just made by initdb, or one from before this) is
 * converted once while it runs: password set, pg_hba.conf replaced, configuration reloaded. A
 * crash between the steps leaves a trusting pg_hba.conf, so the next start does them again.
 */
final class EmbeddedPostgresAuth {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresAuth.class);
  static final String PASSWORD_FILE = "postgres-password";
  static final String SUPERUSER = "postgres";
  private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9_-]{32,128}");

  /** What pg_hba.conf holds once converted: SCRAM for every database, user and local address. */
  static final String HBA = """
      # Written by NovaCron (EmbeddedPostgresAuth): password (SCRAM-SHA-256) for every connection.
      # The password is in <data-dir>/postgres-password. Do not add "trust": it lets every local
      # process in as the superuser.
      local   all   all                  scram-sha-256
      host    all   all   127.0.0.1/32   scram-sha-256
      host    all   all   ::1/128        scram-sha-256
      """;

  private EmbeddedPostgresAuth() {}

  /**
   * A role's password (the superuser's, or the control plane's role's in {@link
   * EmbeddedPostgresRole}): read from {@code file}, or generated there (0600) on first use.
   */
  static String password(Path file) throws IOException {
    if (Files.exists(file)) {
      String password = Files.readString(file).strip();
      if (!PASSWORD.matcher(password).matches()) {
        throw new IllegalStateException(file + " does not hold a password of 32-128 characters A-Z a-z 0-9 _ -:"
            + " restore it from a backup, or remove it only together with a cluster that still trusts");
      }
      return password;
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, password + "\n");
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    return password;
  }

  /**
   * Whether {@code hba} (pg_hba.conf's text) lets anyone in without a password: a rule whose
   * method is {@code trust}. Comments and blank lines do not count.
   */
  static boolean trusts(String hba) {
    return hba.lines()
        .map(l -> l.replaceFirst("#.*", "").strip())
        .filter(l -> !l.isEmpty())
        .anyMatch(l -> java.util.Arrays.asList(l.split("\\s+")).contains("trust"));
  }

  /**
   * Converts a running cluster that trusts to password authentication; does nothing to one that
   * does not.
   *
   * @param superuser a connection as the superuser (it works through trust, or with the password)
   * @param pgData the cluster's data directory, holding pg_hba.conf
   */
  static void enforce(DataSource superuser, Path pgData, String password) throws IOException, SQLException {
    Path hba = pgData.resolve("pg_hba.conf");
    if (!trusts(Files.readString(hba))) {
      return;
    }
    if (!PASSWORD.matcher(password).matches()) {
      throw new IllegalArgumentException("the embedded PostgreSQL password has unexpected characters");
    }
    try (Connection c = superuser.getConnection(); Statement s = c.createStatement()) {
      s.execute("SET password_encryption = 'scram-sha-256'");
      // The pattern above admits no quote: the literal cannot be broken out of.
      s.execute("ALTER ROLE " + SUPERUSER + " WITH PASSWORD '" + password + "'");
      Path tmp = pgData.resolve("pg_hba.conf.novacron");
      Files.writeString(tmp, HBA);
      Files.move(tmp, hba, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      s.execute("SELECT pg_reload_conf()");
    }
    log.info("embedded PostgreSQL in {}: trust authentication replaced by SCRAM passwords ({} holds it)", pgData,
        PASSWORD_FILE);
  }
}
