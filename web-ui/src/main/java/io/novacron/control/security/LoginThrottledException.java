package io.novacron.control.security;

import java.time.Duration;
import org.springframework.security.core.AuthenticationException;

/** A login refused before the password was checked, because of earlier failures. */
public class LoginThrottledException extends AuthenticationException {
  public LoginThrottledException(Duration remaining) {
    super("Too many failed sign-ins for this user or from this address. Try again in "
        + Math.max(1, (remaining.toSeconds() + 59) / 60) + " minute(s).");
  }
}
