package io.novacron.control.security;

import io.novacron.workflows.FieldError;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/** Dashboard users in PostgreSQL, passwords hashed with bcrypt. */
@Service
public class UserAccounts {
  /** Lower-case, as login names are typed: letters, digits, dot, dash, underscore. */
  static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  static final int MIN_PASSWORD_LENGTH = 12;
  /** bcrypt reads at most 72 bytes; a longer password would be silently cut. */
  static final int MAX_PASSWORD_BYTES = 72;

  private final JdbcClient jdbc;
  private final PasswordEncoder encoder;
  private final Clock clock;

  UserAccounts(JdbcClient jdbc, PasswordEncoder encoder, Clock clock) {
    this.jdbc = jdbc;
    this.encoder = encoder;
    this.clock = clock;
  }

  /** What is wrong with a new user's fields, one entry per bad field; empty when all are fine. */
  public static List<FieldError> validate(String username, String password, String role) {
    List<FieldError> errors = new ArrayList<>();
    if (username == null || !USERNAME.matcher(username).matches()) {
      errors.add(new FieldError("username", "must be 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit"));
    }
    if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
      errors.add(new FieldError("password", "must have at least " + MIN_PASSWORD_LENGTH + " characters"));
    } else if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      errors.add(new FieldError("password", "must be at most " + MAX_PASSWORD_BYTES + " bytes in UTF-8 (bcrypt ignores the rest)"));
    }
    if (Role.parse(role).isEmpty()) {
      errors.add(new FieldError("role", "must be one of " + Role.ids()));
    }
    return errors;
  }

  /**
   * Creates a user with a bcrypt hash of {@code password}; the caller has validated the fields.
   *
   * @return the new account, or empty when the username is taken
   */
  public Optional<UserAccount> create(String username, String password, Role role, String createdBy) {
    try {
      long id = jdbc.sql("insert into users (username, password_hash, role, created_at, created_by) "
              + "values (:username, :hash, :role, :at, :by) returning id")
          .param("username", username)
          .param("hash", encoder.encode(password))
          .param("role", role.id())
          .param("at", Timestamp.from(clock.instant()))
          .param("by", createdBy)
          .query(Long.class).single();
      return find(username).filter(user -> user.id() == id);
    } catch (DuplicateKeyException e) {
      return Optional.empty();
    }
  }

  public Optional<UserAccount> find(String username) {
    return jdbc.sql("select * from users where username = :username").param("username", username)
        .query(UserAccounts::row).optional();
  }

  /** One page of {@link #list()}, by username. */
  public List<UserAccount> page(int limit, long offset) {
    return jdbc.sql("select * from users order by username limit :limit offset :offset").param("limit", limit)
        .param("offset", offset).query(UserAccounts::row).list();
  }

  /** How many users there are. */
  public long count() {
    return jdbc.sql("select count(*) from users").query(Long.class).single();
  }

  public List<UserAccount> list() {
    return jdbc.sql("select * from users order by username").query(UserAccounts::row).list();
  }

  public boolean adminExists() {
    return jdbc.sql("select exists (select 1 from users where role = 'admin')").query(Boolean.class).single();
  }

  private static UserAccount row(java.sql.ResultSet rs, int rowNum) throws java.sql.SQLException {
    return new UserAccount(rs.getLong("id"), rs.getString("username"), rs.getString("password_hash"),
        Role.parse(rs.getString("role")).orElseThrow(), rs.getTimestamp("created_at").toInstant(),
        rs.getString("created_by"));
  }
}
