package io.novacron.control.security;

import io.novacron.workflows.FieldError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * API bearer tokens: 256 random bits, handed out once and stored as their SHA-256 (a fast hash is
 * enough for secrets that cannot be guessed; bcrypt would only slow every API call down).
 */
@Service
public class ApiTokens {
  /** Marks our tokens in logs and secret scanners. */
  static final String PREFIX = "nct_";
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._@-]{0,99}");
  /** last_used_at is a hint, not a log: writing it on every call would double the writes of a poll. */
  static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

  private final SecureRandom random = new SecureRandom();
  private final JdbcClient jdbc;
  private final Clock clock;

  ApiTokens(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  public static List<FieldError> validate(String name, String role) {
    List<FieldError> errors = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      errors.add(new FieldError("name", "must be 1-100 letters, digits, spaces or '._@-', starting with a letter or digit"));
    }
    if (Role.parse(role).isEmpty()) {
      errors.add(new FieldError("role", "must be one of " + Role.ids()));
    }
    return errors;
  }

  /** Creates a token; the returned secret is the only copy. */
  public IssuedToken create(String name, Role role, String createdBy) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    long id = jdbc.sql("insert into api_tokens (name, token_hash, role, created_at, created_by) "
            + "values (:name, :hash, :role, :at, :by) returning id")
        .param("name", name)
        .param("hash", hash(secret))
        .param("role", role.id())
        .param("at", Timestamp.from(clock.instant()))
        .param("by", createdBy)
        .query(Long.class).single();
    return new IssuedToken(find(id).orElseThrow(), secret);
  }

  /** The live (not revoked) token whose secret this is, and notes its use. */
  public Optional<ApiToken> authenticate(String secret) {
    if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 200) {
      return Optional.empty();
    }
    Optional<ApiToken> token = jdbc.sql("select * from api_tokens where token_hash = :hash and revoked_at is null")
        .param("hash", hash(secret)).query(ApiTokens::row).optional();
    token.ifPresent(this::noteUse);
    return token;
  }

  /** Whether {@code secret} is a live token, without noting a use (for start-up checks). */
  public boolean isLive(String secret) {
    return jdbc.sql("select count(*) from api_tokens where token_hash = :hash and revoked_at is null")
        .param("hash", hash(secret)).query(Long.class).single() > 0;
  }

  public Optional<ApiToken> find(long id) {
    return jdbc.sql("select * from api_tokens where id = :id").param("id", id).query(ApiTokens::row).optional();
  }

  /** One page of {@link #list()}, by id. */
  public List<ApiToken> page(int limit, long offset) {
    return jdbc.sql("select * from api_tokens order by id limit :limit offset :offset").param("limit", limit)
        .param("offset", offset).query(ApiTokens::row).list();
  }

  /** How many tokens there are, revoked ones included. */
  public long count() {
    return jdbc.sql("select count(*) from api_tokens").query(Long.class).single();
  }

  public List<ApiToken> list() {
    return jdbc.sql("select * from api_tokens order by id").query(ApiTokens::row).list();
  }

  /**
   * Revokes a token from now on; revoking a revoked token changes nothing.
   *
   * @return the token as it is now, or empty when there is no such token
   */
  public Optional<ApiToken> revoke(long id) {
    jdbc.sql("update api_tokens set revoked_at = :at where id = :id and revoked_at is null")
        .param("at", Timestamp.from(clock.instant())).param("id", id).update();
    return find(id);
  }

  /** Hex SHA-256 of a token: what the database holds. */
  static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private void noteUse(ApiToken token) {
    Instant now = clock.instant();
    if (token.lastUsedAt() == null || token.lastUsedAt().isBefore(now.minus(LAST_USED_RESOLUTION))) {
      jdbc.sql("update api_tokens set last_used_at = :at where id = :id")
          .param("at", Timestamp.from(now)).param("id", token.id()).update();
    }
  }

  private static ApiToken row(ResultSet rs, int rowNum) throws SQLException {
    Timestamp used = rs.getTimestamp("last_used_at");
    Timestamp revoked = rs.getTimestamp("revoked_at");
    return new ApiToken(rs.getLong("id"), rs.getString("name"), Role.parse(rs.getString("role")).orElseThrow(),
        rs.getTimestamp("created_at").toInstant(), rs.getString("created_by"),
        used == null ? null : used.toInstant(), revoked == null ? null : revoked.toInstant());
  }
}
