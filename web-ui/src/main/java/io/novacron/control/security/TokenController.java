package io.novacron.control.security;

import io.novacron.control.shared.NotFoundException;
import io.novacron.control.shared.Paging;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;

import io.novacron.control.shared.InvalidRequestException;

import io.novacron.control.audit.AuditLog;
import io.novacron.control.security.ApiToken;
import io.novacron.control.security.ApiTokens;
import io.novacron.control.security.IssuedToken;
import io.novacron.control.security.Role;
import io.novacron.workflows.FieldError;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** API tokens (admin only, by {@code ApiAccessRules}): create, list, revoke. */
@RestController
@RequestMapping("/api/v1/tokens")
class TokenController {
  private final ApiTokens tokens;

  TokenController(ApiTokens tokens) {
    this.tokens = tokens;
  }

  /** A new token's name and role: "viewer", "operator" or "admin". */
  record CreateTokenRequest(String name, String role) {}

  /** A token just created; {@code token} is the bearer value, shown only in this answer. */
  record CreatedToken(long id, String name, Role role, Instant createdAt, String createdBy, String token) {}

  /** Creates a token: 201 with the token itself, which is never shown again (only its hash is kept). */
  @PostMapping
  ResponseEntity<CreatedToken> create(@RequestBody(required = false) CreateTokenRequest request) {
    List<FieldError> errors = request == null
        ? List.of(new FieldError("body", "send a JSON object with name and role"))
        : ApiTokens.validate(request.name(), request.role());
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    IssuedToken issued = tokens.create(request.name(), Role.parse(request.role()).orElseThrow(),
        AuditLog.currentActor().toString());
    ApiToken token = issued.token();
    return ResponseEntity.created(URI.create("/api/v1/tokens/" + token.id())).body(new CreatedToken(
        token.id(), token.name(), token.role(), token.createdAt(), token.createdBy(), issued.secret()));
  }

  /**
   * The tokens by id (never their secrets), one page as a plain JSON array with the total in
   * {@code X-Total-Count}. 400 names a bad {@code page} or {@code size}.
   */
  @GetMapping
  ResponseEntity<List<ApiToken>> list(
      @Parameter(schema = @Schema(type = "integer", minimum = "0", defaultValue = "0"))
      @RequestParam(required = false) String page,
      @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "200", defaultValue = "50"))
      @RequestParam(required = false) String size) {
    Paging paging = Paging.of(page, size);
    return Paging.response(tokens.page(paging.size(), paging.offset()), tokens.count());
  }

  @GetMapping("/{id}")
  ApiToken get(@PathVariable long id) {
    return tokens.find(id).orElseThrow(() -> new NotFoundException("no API token with id " + id));
  }

  /** Revokes a token at once: 204, also for one already revoked; 404 for an unknown id. */
  @DeleteMapping("/{id}")
  ResponseEntity<Void> revoke(@PathVariable long id) {
    tokens.revoke(id).orElseThrow(() -> new NotFoundException("no API token with id " + id));
    return ResponseEntity.noContent().build();
  }
}
