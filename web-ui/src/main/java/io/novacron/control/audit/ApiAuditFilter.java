package io.novacron.control.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.ContentCachingRequestWrapper;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Gives every API request an id ({@code X-Request-Id}: the client's, when it sent a sane one) and
 * writes one audit row per mutating request (POST, PUT, PATCH, DELETE), whatever its outcome:
 * accepted, refused by authentication or authorization (it runs before Spring Security's filters,
 * so it sees their 401 and 403), refused by validation, or failed. New controllers are covered
 * without a line of their own.
 *
 * <p>Bodies are never stored: only a top-level {@code name} or {@code username} from the request,
 * to name the target, and the problem {@code detail} of a refusal.
 */
public class ApiAuditFilter extends OncePerRequestFilter {
  /** Request attribute where authentication leaves the {@link Actor} it recognised. */
  public static final String ACTOR = ApiAuditFilter.class.getName() + ".actor";
  public static final String REQUEST_ID_HEADER = "X-Request-Id";
  /** Request attribute holding the request id. */
  public static final String REQUEST_ID = ApiAuditFilter.class.getName() + ".requestId";

  private static final Logger log = LoggerFactory.getLogger(ApiAuditFilter.class);
  private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
  /** Enough for any of our request bodies; larger ones are not parsed for a name. */
  private static final int BODY_CACHE_LIMIT = 64 * 1024;

  private final AuditLog audit;
  private final ObjectMapper json;
  private final Clock clock;

  public ApiAuditFilter(AuditLog audit, ObjectMapper json, Clock clock) {
    this.audit = audit;
    this.json = json;
    this.clock = clock;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String requestId = requestId(request);
    request.setAttribute(REQUEST_ID, requestId);
    response.setHeader(REQUEST_ID_HEADER, requestId);
    if (!MUTATING.contains(request.getMethod())) {
      chain.doFilter(request, response);
      return;
    }
    var cachedRequest = new ContentCachingRequestWrapper(request, BODY_CACHE_LIMIT);
    var cachedResponse = new ContentCachingResponseWrapper(response);
    try {
      chain.doFilter(cachedRequest, cachedResponse);
      record(cachedRequest, cachedResponse.getStatus(), detail(cachedResponse), requestId);
    } catch (IOException | ServletException | RuntimeException e) {
      record(cachedRequest, 500, e.getClass().getSimpleName() + ": " + e.getMessage(), requestId);
      throw e;
    } finally {
      cachedResponse.copyBodyToResponse();
    }
  }

  private void record(ContentCachingRequestWrapper request, int status, String detail, String requestId) {
    Object actor = request.getAttribute(ACTOR);
    try {
      audit.record(new AuditEntry(clock.instant(),
          actor instanceof Actor known ? known : Actor.anonymous("no credentials"),
          request.getMethod() + " " + route(request), target(request), Outcome.ofStatus(status), status, detail,
          requestId, request.getRemoteAddr()));
    } catch (RuntimeException e) {
      // The action has happened; losing its audit row must be loud, but must not turn it into a 500.
      log.error("could not write the audit row of {} {} (request {})", request.getMethod(), request.getRequestURI(),
          requestId, e);
    }
  }

  private static String requestId(HttpServletRequest request) {
    String given = request.getHeader(REQUEST_ID_HEADER);
    return given != null && CLIENT_REQUEST_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
  }

  /** The controller's pattern ("/api/v1/runs/{id}/cancel") when one matched, else the path. */
  private static String route(HttpServletRequest request) {
    Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
    return pattern != null ? pattern.toString() : path(request);
  }

  private String target(ContentCachingRequestWrapper request) {
    String path = path(request);
    byte[] body = request.getContentAsByteArray();
    if (body.length == 0) {
      return path;
    }
    try {
      JsonNode node = json.readTree(body);
      for (String field : new String[] {"name", "username"}) {
        if (node != null && node.path(field).isTextual()) {
          return path + " (" + node.get(field).asText() + ")";
        }
      }
    } catch (IOException e) {
      // Not JSON: the path alone names the target; the refusal's detail says what was wrong.
    }
    return path;
  }

  /** A refusal's problem detail, or for an accepted request where its result lives (Location). */
  private String detail(ContentCachingResponseWrapper response) {
    if (response.getStatus() < 400) {
      return response.getHeader(HttpHeaders.LOCATION);
    }
    byte[] body = response.getContentAsByteArray();
    try {
      JsonNode problem = json.readTree(body);
      if (problem != null && problem.path("detail").isTextual()) {
        return problem.get("detail").asText();
      }
    } catch (IOException e) {
      // No problem document: the status says enough.
    }
    return null;
  }

  private static String path(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length());
  }
}
