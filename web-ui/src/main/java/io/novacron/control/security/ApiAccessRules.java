package io.novacron.control.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Which role an API request needs, by HTTP method and path, so that every endpoint, including
 * ones added later, is covered without being listed:
 *
 * <ul>
 *   <li>{@code /api/v1/users/**} and {@code /api/v1/tokens/**}: admin, whatever the method;
 *   <li>{@code /api/v1/audit/**}: operator (operators answer for what was done; the trail holds
 *       no secrets);
 *   <li>{@code /api/v1/vms/<name>/console/**}: operator (a guest may print secrets on its serial
 *       console: cloud-init prints the passwords it generates there);
 *   <li>{@code POST /api/v1/model-plans}: viewer (a pure calculation: it starts and changes nothing);
 *   <li>any other GET, HEAD or OPTIONS: viewer;
 *   <li>any other method (POST, PUT, PATCH, DELETE, ...): operator.
 * </ul>
 */
public final class ApiAccessRules {
  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

  private ApiAccessRules() {}

  /** The least role that may send {@code method} to {@code path} (a path without context path). */
  public static Role requiredRole(String method, String rawPath) {
    // Spring MVC matches decoded segments, so the rules must too: /api/v1/%75sers reaches the
    // users endpoint and must need what /api/v1/users needs.
    String path = decoded(rawPath);
    if (under(path, "/api/v1/users") || under(path, "/api/v1/tokens")) {
      return Role.ADMIN;
    }
    if (under(path, "/api/v1/audit")) {
      return Role.OPERATOR;
    }
    if (console(path)) {
      return Role.OPERATOR;
    }
    if (path.equals("/api/v1/model-plans")) {
      return Role.VIEWER;
    }
    return READS.contains(method) ? Role.VIEWER : Role.OPERATOR;
  }

  static Role requiredRole(HttpServletRequest request) {
    return requiredRole(request.getMethod(), request.getRequestURI().substring(request.getContextPath().length()));
  }

  /** Spring Security's decision for one request: granted when the caller holds the required role. */
  static AuthorizationDecision decide(Supplier<Authentication> authentication, RequestAuthorizationContext context) {
    return new AuthorizationDecision(holds(authentication.get(), requiredRole(context.getRequest())));
  }

  static boolean holds(Authentication authentication, Role role) {
    if (authentication == null || !authentication.isAuthenticated()
        || authentication instanceof AnonymousAuthenticationToken) {
      return false;
    }
    return Role.highest(authentication.getAuthorities()).map(held -> held.includes(role)).orElse(false);
  }

  /** {@code /api/v1/vms/<name>/console} and what lies under it (on a decoded path). */
  private static boolean console(String path) {
    String[] segments = path.split("/", 7);
    return segments.length >= 6 && segments[1].equals("api") && segments[2].equals("v1")
        && segments[3].equals("vms") && segments[5].equals("console");
  }

  /** The path with each segment percent-decoded as a URI path ({@code +} stays {@code +}). */
  private static String decoded(String path) {
    String[] segments = path.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      try {
        segments[i] = org.springframework.web.util.UriUtils.decode(segments[i], java.nio.charset.StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        // A malformed escape matches no handler either; keep the segment as sent.
      }
    }
    return String.join("/", segments);
  }

  private static boolean under(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }
}
