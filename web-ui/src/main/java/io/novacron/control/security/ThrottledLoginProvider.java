package io.novacron.control.security;

import io.novacron.control.audit.Actor;
import io.novacron.control.audit.ApiAuditFilter;
import io.novacron.control.audit.AuditEntry;
import io.novacron.control.audit.AuditLog;
import io.novacron.control.audit.Outcome;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Dashboard sign-in: the bcrypt check against the users table, refused up front while the username
 * or the client address is locked out ({@link LoginThrottle}), and every attempt audited.
 */
final class ThrottledLoginProvider implements AuthenticationProvider {
  private final DaoAuthenticationProvider passwords;
  private final LoginThrottle throttle;
  private final AuditLog audit;
  private final Clock clock;

  ThrottledLoginProvider(UserAccounts users, PasswordEncoder encoder, LoginThrottle throttle, AuditLog audit,
      Clock clock) {
    UserDetailsService details = username -> users.find(username)
        .map(user -> User.withUsername(user.username()).password(user.passwordHash())
            .authorities(user.role().authorities()).build())
        .orElseThrow(() -> new UsernameNotFoundException("no user " + username));
    this.passwords = new DaoAuthenticationProvider(details);
    this.passwords.setPasswordEncoder(encoder);
    this.throttle = throttle;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public Authentication authenticate(Authentication attempt) throws AuthenticationException {
    String username = attempt.getName();
    String address = attempt.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
    Optional<Duration> locked = throttle.lockedFor(username, address);
    if (locked.isPresent()) {
      LoginThrottledException refused = new LoginThrottledException(locked.get());
      record(username, address, Outcome.REFUSED, "locked out after repeated failures: " + refused.getMessage());
      throw refused;
    }
    try {
      Authentication result = passwords.authenticate(attempt);
      throttle.succeeded(username);
      record(username, address, Outcome.ACCEPTED, null);
      return result;
    } catch (BadCredentialsException e) {
      throttle.failed(username, address);
      record(username, address, Outcome.REFUSED, "wrong username or password");
      throw e;
    }
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }

  private void record(String username, String address, Outcome outcome, String detail) {
    audit.record(new AuditEntry(clock.instant(), Actor.user(username), "login", username, outcome, null, detail,
        requestId(), address));
  }

  /** The id the API filter gave this request, else the client's header, else a new one. */
  private static String requestId() {
    if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
      HttpServletRequest request = attributes.getRequest();
      Object id = request.getAttribute(ApiAuditFilter.REQUEST_ID);
      if (id != null) {
        return id.toString();
      }
      String header = request.getHeader(ApiAuditFilter.REQUEST_ID_HEADER);
      if (header != null && header.matches("[A-Za-z0-9._:-]{1,100}")) {
        return header;
      }
    }
    return UUID.randomUUID().toString();
  }
}
