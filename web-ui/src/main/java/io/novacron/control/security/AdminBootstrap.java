package io.novacron.control.security;

import io.novacron.control.audit.Actor;
import io.novacron.control.audit.AuditEntry;
import io.novacron.control.audit.AuditLog;
import io.novacron.control.audit.Outcome;
import io.novacron.workflows.FieldError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Makes the first admin and a bootstrap admin token when the environment asks for them; there is
 * no default password anywhere. Idempotent: an admin is created only while none exists, and the
 * token only while its file does not exist, so every later start changes nothing.
 */
@Component
class AdminBootstrap implements ApplicationRunner {
  static final String TOKEN_NAME = "bootstrap";
  private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

  private final SecuritySettings.Bootstrap settings;
  private final UserAccounts users;
  private final ApiTokens tokens;
  private final AuditLog audit;
  private final Clock clock;

  AdminBootstrap(SecuritySettings settings, UserAccounts users, ApiTokens tokens, AuditLog audit, Clock clock) {
    this.settings = settings.bootstrap();
    this.users = users;
    this.tokens = tokens;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public void run(ApplicationArguments args) {
    createFirstAdmin();
    writeBootstrapToken();
  }

  void createFirstAdmin() {
    String username = blankToNull(settings.adminUser());
    if (users.adminExists()) {
      return;
    }
    if (username == null) {
      log.warn("No admin user exists and NOVACRON_ADMIN_USER is not set: nobody can sign in to the dashboard. "
          + "Set NOVACRON_ADMIN_USER and NOVACRON_ADMIN_PASSWORD (or NOVACRON_ADMIN_PASSWORD_FILE) and restart.");
      return;
    }
    String password = password();
    List<FieldError> errors = UserAccounts.validate(username, password, Role.ADMIN.id());
    if (!errors.isEmpty()) {
      throw new IllegalStateException("cannot create the first admin: " + errors.stream()
          .map(e -> (e.field().equals("username") ? "NOVACRON_ADMIN_USER " : "NOVACRON_ADMIN_PASSWORD ") + e.message())
          .collect(Collectors.joining("; ")));
    }
    if (users.create(username, password, Role.ADMIN, "bootstrap").isEmpty()) {
      if (users.find(username).filter(user -> user.role() == Role.ADMIN).isPresent()) {
        // Another replica starting at the same time created it between our check and insert.
        log.info("The first admin user '{}' was created by another control-plane replica", username);
        return;
      }
      throw new IllegalStateException("cannot create the first admin: a non-admin user '" + username
          + "' exists; set NOVACRON_ADMIN_USER to another name");
    }
    audit.record(new AuditEntry(clock.instant(), Actor.SYSTEM, "user.create", username, Outcome.ACCEPTED, null,
        "first admin, from NOVACRON_ADMIN_USER", UUID.randomUUID().toString(), null));
    log.info("Created the first admin user '{}' from NOVACRON_ADMIN_USER", username);
  }

  void writeBootstrapToken() {
    String file = blankToNull(settings.tokenFile());
    if (file == null) {
      return;
    }
    Path path = Path.of(file);
    try {
      if (Files.exists(path)) {
        if (!tokens.isLive(Files.readString(path, StandardCharsets.UTF_8).strip())) {
          log.warn("{} holds no live API token (revoked, or the database was replaced): delete the file and "
              + "restart for a new one", path);
        }
        return;
      }
      if (path.toAbsolutePath().getParent() != null) {
        Files.createDirectories(path.toAbsolutePath().getParent());
      }
      // O_EXCL with 0600 from the first byte: the token is never readable by others, and a file
      // that appeared meanwhile is not overwritten.
      Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      IssuedToken issued;
      try {
        issued = tokens.create(TOKEN_NAME, Role.ADMIN, "bootstrap");
        Files.writeString(path, issued.secret() + "\n", StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(path); // an empty file would stop the next start from trying again
        throw e;
      }
      audit.record(new AuditEntry(clock.instant(), Actor.SYSTEM, "token.create", TOKEN_NAME, Outcome.ACCEPTED,
          null, "bootstrap admin token #" + issued.token().id() + " written to " + path, UUID.randomUUID().toString(),
          null));
      log.info("Wrote a bootstrap admin API token to {}", path);
    } catch (FileAlreadyExistsException e) {
      log.info("{} appeared meanwhile; left as it is", path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the bootstrap token file " + path
          + " (NOVACRON_BOOTSTRAP_TOKEN_FILE)", e);
    }
  }

  private String password() {
    String direct = settings.adminPassword();
    if (direct != null && !direct.isEmpty()) {
      return direct;
    }
    String file = blankToNull(settings.adminPasswordFile());
    if (file == null) {
      throw new IllegalStateException("NOVACRON_ADMIN_USER is set but neither NOVACRON_ADMIN_PASSWORD nor "
          + "NOVACRON_ADMIN_PASSWORD_FILE is: give the first admin's password in one of them");
    }
    try {
      String content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
      int end = content.indexOf('\n');
      return (end < 0 ? content : content.substring(0, end)).replace("\r", "");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read NOVACRON_ADMIN_PASSWORD_FILE " + file, e);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
