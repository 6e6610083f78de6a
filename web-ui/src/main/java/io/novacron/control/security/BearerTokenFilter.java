package io.novacron.control.security;

import io.novacron.control.audit.Actor;
import io.novacron.control.audit.ApiAuditFilter;
import io.novacron.control.shared.DependencyUnavailable;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>} against the live API tokens. No header: the
 * request goes on anonymous (and the rules answer 401 if it needs a role). A header that is not a
 * live token is answered 401 here: a caller who sent a revoked token must hear so, not be served
 * as anonymous.
 */
final class BearerTokenFilter extends OncePerRequestFilter {
  private static final String SCHEME = "Bearer ";

  private final ApiTokens tokens;
  private final ApiProblems problems;
  private final SecurityContextHolderStrategy contexts;

  /**
   * @param contexts this application context's strategy (Vaadin's), the one its authorization
   *     filters read; not the JVM-wide {@code SecurityContextHolder} default, which the last context
   *     started in the JVM sets (two control planes in one test JVM, issue 19)
   */
  BearerTokenFilter(ApiTokens tokens, ApiProblems problems, SecurityContextHolderStrategy contexts) {
    this.tokens = tokens;
    this.problems = problems;
    this.contexts = contexts;
  }

  /**
   * The request's own token authenticates its async dispatch too (an event stream that ends
   * dispatches again to finish its response): without it the dispatch is anonymous, the rules deny
   * it, and the denial meets a response already committed.
   */
  @Override
  protected boolean shouldNotFilterAsyncDispatch() {
    return false;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null) {
      chain.doFilter(request, response);
      return;
    }
    if (!header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      request.setAttribute(ApiAuditFilter.ACTOR, Actor.anonymous("non-bearer Authorization header"));
      problems.invalidToken(request, response, "The Authorization header is not of the form 'Bearer <token>'");
      return;
    }
    Optional<ApiToken> token;
    try {
      token = tokens.authenticate(header.substring(SCHEME.length()).trim());
    } catch (RuntimeException e) {
      // PostgreSQL restarting: say so (503, retry) rather than a 500 or a wrong 401.
      String dependency = DependencyUnavailable.of(e).orElseThrow(() -> e);
      problems.unavailable(request, response, dependency);
      return;
    }
    if (token.isEmpty() && response.isCommitted()) {
      // Revoked while its stream ran: the stream is over, there is nothing left to answer.
      return;
    }
    if (token.isEmpty()) {
      request.setAttribute(ApiAuditFilter.ACTOR, Actor.anonymous("invalid or revoked token"));
      problems.invalidToken(request, response, "The bearer token is not valid: unknown, mistyped or revoked");
      return;
    }
    Actor actor = Actor.token(token.get().name());
    request.setAttribute(ApiAuditFilter.ACTOR, actor);
    SecurityContext context = contexts.createEmptyContext();
    context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(actor, null, token.get().role().authorities()));
    contexts.setContext(context);
    chain.doFilter(request, response);
  }
}
