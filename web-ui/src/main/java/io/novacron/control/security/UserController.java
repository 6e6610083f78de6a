package io.novacron.control.security;

import io.novacron.control.shared.ConflictException;

import io.novacron.control.shared.InvalidRequestException;

import io.novacron.control.shared.NotFoundException;
import io.novacron.control.shared.Paging;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;

import io.novacron.control.audit.AuditLog;
import io.novacron.control.security.Role;
import io.novacron.control.security.UserAccount;
import io.novacron.control.security.UserAccounts;
import io.novacron.workflows.FieldError;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Dashboard users (admin only, by {@code ApiAccessRules}): create, list and read one. */
@RestController
@RequestMapping("/api/v1/users")
class UserController {
  private final UserAccounts users;

  UserController(UserAccounts users) {
    this.users = users;
  }

  /** A new user: the password is hashed with bcrypt and never stored or echoed. */
  record CreateUserRequest(String username, String password, String role) {}

  /** A user as shown: never the password hash. */
  record UserView(String username, Role role, Instant createdAt, String createdBy) {
    static UserView of(UserAccount user) {
      return new UserView(user.username(), user.role(), user.createdAt(), user.createdBy());
    }
  }

  /** 201 with the user; 400 naming bad fields; 409 when the username is taken. */
  @PostMapping
  ResponseEntity<UserView> create(@RequestBody(required = false) CreateUserRequest request) {
    List<FieldError> errors = request == null
        ? List.of(new FieldError("body", "send a JSON object with username, password and role"))
        : UserAccounts.validate(request.username(), request.password(), request.role());
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    UserAccount user = users.create(request.username(), request.password(), Role.parse(request.role()).orElseThrow(),
            AuditLog.currentActor().toString())
        .orElseThrow(() -> new ConflictException("a user named '" + request.username() + "' already exists"));
    return ResponseEntity.created(URI.create("/api/v1/users/" + user.username())).body(UserView.of(user));
  }

  /**
   * The users by name, one page as a plain JSON array with the total in {@code X-Total-Count}. 400
   * names a bad {@code page} or {@code size}.
   */
  @GetMapping
  ResponseEntity<List<UserView>> list(
      @Parameter(schema = @Schema(type = "integer", minimum = "0", defaultValue = "0"))
      @RequestParam(required = false) String page,
      @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "200", defaultValue = "50"))
      @RequestParam(required = false) String size) {
    Paging paging = Paging.of(page, size);
    return Paging.response(users.page(paging.size(), paging.offset()).stream().map(UserView::of).toList(),
        users.count());
  }

  /** One user (never its password hash). 404 for an unknown username. */
  @GetMapping("/{name}")
  UserView get(@PathVariable String name) {
    return users.find(name).map(UserView::of)
        .orElseThrow(() -> new NotFoundException("no user named '" + name + "'; list them with GET /api/v1/users"));
  }
}
