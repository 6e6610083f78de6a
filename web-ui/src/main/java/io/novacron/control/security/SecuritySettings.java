package io.novacron.control.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code novacron.security.*}: what stays open, login throttling and the first admin
 * (application.properties maps the NOVACRON_* environment variables onto these; docs/security.md).
 *
 * @param prometheusOpen whether /actuator/prometheus answers without a token (scrapers on a
 *     trusted network); false: it needs a viewer token like the rest of the API
 */
@ConfigurationProperties("novacron.security")
public record SecuritySettings(boolean prometheusOpen, Login login, Bootstrap bootstrap) {

  /**
   * After {@code maxFailures} failed logins within {@code window} for one username, or from one
   * client address, further logins of that username or from that address are refused for
   * {@code lockout}.
   */
  public record Login(int maxFailures, Duration window, Duration lockout) {}

  /**
   * The first admin and a bootstrap admin token, made at start when asked for.
   *
   * @param adminUser NOVACRON_ADMIN_USER: created as admin when no admin exists yet
   * @param adminPassword NOVACRON_ADMIN_PASSWORD, or
   * @param adminPasswordFile NOVACRON_ADMIN_PASSWORD_FILE: a file whose first line is the password
   * @param tokenFile NOVACRON_BOOTSTRAP_TOKEN_FILE: when the file does not exist, an admin token is
   *     created and written there (mode 0600)
   */
  public record Bootstrap(String adminUser, String adminPassword, String adminPasswordFile, String tokenFile) {}
}
