package io.novacron.control.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.control.audit.AuditLog;
import io.novacron.control.shared.DependencyUnavailable;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * The API's answers to callers it does not know (401) or who may not do this (403), as RFC 9457
 * problem documents that say how to authenticate or which role is needed.
 */
final class ApiProblems implements AuthenticationEntryPoint, AccessDeniedHandler {
  static final String HOW_TO_AUTHENTICATE = "Send 'Authorization: Bearer <token>'. An admin creates tokens with "
      + "POST /api/v1/tokens; 'novacron up' writes an admin token to $NOVACRON_DATA_DIR/admin-token, and the "
      + "CLI reads NOVACRON_TOKEN (docs/security.md).";

  private final ObjectMapper json;

  ApiProblems(ObjectMapper json) {
    this.json = json;
  }

  /** No credentials at all. */
  @Override
  public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    unauthenticated(request, response, "Bearer realm=\"novacron\"",
        "This API needs a bearer token. " + HOW_TO_AUTHENTICATE);
  }

  /** Credentials that are not a live token: unknown, revoked or malformed. */
  void invalidToken(HttpServletRequest request, HttpServletResponse response, String why) throws IOException {
    unauthenticated(request, response, "Bearer realm=\"novacron\", error=\"invalid_token\"",
        why + ". " + HOW_TO_AUTHENTICATE);
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    Role needed = ApiAccessRules.requiredRole(request);
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    String held = auth == null ? "none" : Role.highest(auth.getAuthorities()).map(Role::id).orElse("none");
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
        request.getMethod() + " " + request.getRequestURI() + " needs role " + needed.id() + " or higher; "
            + AuditLog.currentActor() + " has role " + held + ". Ask an admin for a token with role " + needed.id()
            + ".");
    problem.setTitle("Forbidden");
    problem.setType(URI.create("https://novacron.io/problems/forbidden"));
    problem.setProperty("requiredRole", needed.id());
    write(request, response, problem);
  }

  /** 503 with Retry-After: {@code dependency} (PostgreSQL) is unreachable, so the token cannot be checked. */
  void unavailable(HttpServletRequest request, HttpServletResponse response, String dependency) throws IOException {
    response.setHeader("Retry-After", Integer.toString(DependencyUnavailable.RETRY_AFTER_SECONDS));
    write(request, response, DependencyUnavailable.problem(dependency));
  }

  private void unauthenticated(HttpServletRequest request, HttpServletResponse response, String challenge,
      String detail) throws IOException {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, detail);
    problem.setTitle("Authentication required");
    problem.setType(URI.create("https://novacron.io/problems/unauthenticated"));
    response.setHeader("WWW-Authenticate", challenge);
    write(request, response, problem);
  }

  private void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
      throws IOException {
    problem.setInstance(URI.create(request.getRequestURI()));
    response.setStatus(problem.getStatus());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(response.getOutputStream(), problem);
  }
}
