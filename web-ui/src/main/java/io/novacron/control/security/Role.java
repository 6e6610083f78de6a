package io.novacron.control.security;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * What a user or token may do, each role including the ones below it: a viewer reads, an operator
 * also launches and cancels runs, an admin also manages users and tokens (docs/security.md).
 */
public enum Role {
  VIEWER, OPERATOR, ADMIN;

  /** Spring authority names of the roles, for {@code @RolesAllowed}: "VIEWER", ... */
  public static final String VIEWER_NAME = "VIEWER";
  public static final String OPERATOR_NAME = "OPERATOR";
  public static final String ADMIN_NAME = "ADMIN";

  /** The name in JSON, in the database and in messages: "viewer", "operator", "admin". */
  @com.fasterxml.jackson.annotation.JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean includes(Role other) {
    return compareTo(other) >= 0;
  }

  /**
   * This role's authorities and those of every role below it, so that a plain "has ROLE_X" check
   * (Spring's, and Vaadin's {@code @RolesAllowed}) honours the order without a role hierarchy bean.
   */
  public List<GrantedAuthority> authorities() {
    return Arrays.stream(values())
        .filter(this::includes)
        .map(role -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + role.name()))
        .toList();
  }

  /** The role named {@code id} ("viewer", "operator", "admin"; any case), if there is one. */
  public static Optional<Role> parse(String id) {
    if (id == null) {
      return Optional.empty();
    }
    return Arrays.stream(values()).filter(role -> role.id().equalsIgnoreCase(id.trim())).findFirst();
  }

  /** The highest role among Spring authorities, if any. */
  public static Optional<Role> highest(java.util.Collection<? extends GrantedAuthority> authorities) {
    return Arrays.stream(values())
        .filter(role -> authorities.stream().anyMatch(a -> ("ROLE_" + role.name()).equals(a.getAuthority())))
        .reduce((low, high) -> high);
  }

  public static String ids() {
    return String.join(", ", Arrays.stream(values()).map(Role::id).toList());
  }
}
