package io.novacron.control.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.novacron.control.ControlPlaneTest;
import io.novacron.control.audit.AuditLog;
import java.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The context started with NOVACRON_ADMIN_USER, NOVACRON_ADMIN_PASSWORD and
 * NOVACRON_BOOTSTRAP_TOKEN_FILE set (see {@link ControlPlaneTest}), as {@code novacron up} starts it.
 */
class AdminBootstrapTest extends ControlPlaneTest {
  @Autowired AdminBootstrap bootstrap;
  @Autowired JdbcClient jdbc;
  @Autowired PasswordEncoder encoder;
  @Autowired SecuritySettings settings;
  @Autowired AuditLog audit;
  @Autowired Clock clock;
  private Path tokenFile;

  @BeforeEach
  void locateTheTokenFile() {
    tokenFile = Path.of(settings.bootstrap().tokenFile());
  }

  @Test
  void theEnvironmentMakesExactlyOneFirstAdminAndOneTokenFileAndAStartAgainChangesNothing() throws Exception {
    assertThat(jdbc.sql("select count(*) from users where created_by = 'bootstrap'").query(Long.class).single()).isEqualTo(1);
    UserAccount admin = userAccounts.find(BOOTSTRAP_ADMIN).orElseThrow();
    assertThat(admin.role()).isEqualTo(Role.ADMIN);
    assertThat(encoder.matches(BOOTSTRAP_PASSWORD, admin.passwordHash())).isTrue();

    assertThat(Files.getPosixFilePermissions(tokenFile))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    String secret = Files.readString(tokenFile).strip();
    assertThat(apiTokens.authenticate(secret)).hasValueSatisfying(token -> {
      assertThat(token.role()).isEqualTo(Role.ADMIN);
      assertThat(token.name()).isEqualTo(AdminBootstrap.TOKEN_NAME);
    });
    // One per written file (the other test here deletes the file once).
    long tokens = jdbc.sql("select count(*) from api_tokens where created_by = 'bootstrap'").query(Long.class).single();
    assertThat(tokens).isPositive();

    bootstrap.run(null); // a second start
    assertThat(jdbc.sql("select count(*) from users where role = 'admin' and created_by = 'bootstrap'").query(Long.class).single()).isEqualTo(1);
    assertThat(jdbc.sql("select count(*) from api_tokens where created_by = 'bootstrap'").query(Long.class).single()).isEqualTo(tokens);
    assertThat(Files.readString(tokenFile).strip()).isEqualTo(secret);
    assertThat(jdbc.sql("select count(*) from audit_events where actor_kind = 'system' and action = 'user.create'")
        .query(Long.class).single()).isEqualTo(1);
  }

  @Test
  void aDeletedTokenFileIsWrittenAgainWithANewToken() throws Exception {
    String before = Files.readString(tokenFile).strip();
    Files.move(tokenFile, tokenFile.resolveSibling("admin-token.old"));
    try {
      bootstrap.run(null);
      String after = Files.readString(tokenFile).strip();
      assertThat(after).isNotEqualTo(before);
      assertThat(apiTokens.authenticate(after)).isPresent();
    } finally {
      Files.move(tokenFile.resolveSibling("admin-token.old"), tokenFile,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Two replicas starting at once both find no admin; the one whose insert loses finds the admin
   * the other made and starts, instead of failing with "a non-admin user exists".
   */
  @Test
  void aFirstAdminCreatedMeanwhileByAnotherReplicaIsNoError() {
    UserAccounts staleCheck = new UserAccounts(jdbc, encoder, clock) {
      @Override
      public boolean adminExists() {
        return false; // what this replica read before the other one's insert committed
      }
    };
    AdminBootstrap late = new AdminBootstrap(settings, staleCheck, apiTokens, audit, clock);

    assertThatCode(late::createFirstAdmin).doesNotThrowAnyException();
    assertThat(jdbc.sql("select count(*) from users where username = :name").param("name", BOOTSTRAP_ADMIN)
        .query(Long.class).single()).isEqualTo(1);
  }
}
