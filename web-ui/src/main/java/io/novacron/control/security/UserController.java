package io.novacron.control.security;

import io.novacron.control.shared.ConflictException;

import io.novacron.control.shared.InvalidRequestException;

import io.novacron.control.shared.NotFoundException;

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

  @GetMapping
  List<UserView> list() {
    return users.list().stream().map(UserView::of).toList();
  }

  /** One user (never its password hash). 404 for an unknown username. */
  @GetMapping("/{name}")
  UserView get(@PathVariable String name) {
    return users.find(name).map(UserView::of)
        .orElseThrow(() -> new NotFoundException("no user named '" + name + "'; list them with GET /api/v1/users"));
  }
}
