package io.novacron.control.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;

class ApiAccessRulesTest {
  @Test
  void readsNeedAViewerAndEveryOtherMethodAnOperatorWhateverTheEndpoint() {
    assertThat(ApiAccessRules.requiredRole("GET", "/api/v1/vms")).isEqualTo(Role.VIEWER);
    assertThat(ApiAccessRules.requiredRole("HEAD", "/api/v1/runs/x")).isEqualTo(Role.VIEWER);
    assertThat(ApiAccessRules.requiredRole("POST", "/api/v1/vms")).isEqualTo(Role.OPERATOR);
    // Endpoints that do not exist yet are covered by their method.
    assertThat(ApiAccessRules.requiredRole("GET", "/api/v1/deployments/7")).isEqualTo(Role.VIEWER);
    for (String method : List.of("POST", "PUT", "PATCH", "DELETE", "TRACE")) {
      assertThat(ApiAccessRules.requiredRole(method, "/api/v1/migrations")).as(method).isEqualTo(Role.OPERATOR);
    }
  }

  @Test
  void usersAndTokensNeedAnAdminAndTheAuditTrailAnOperator() {
    assertThat(ApiAccessRules.requiredRole("GET", "/api/v1/tokens")).isEqualTo(Role.ADMIN);
    assertThat(ApiAccessRules.requiredRole("DELETE", "/api/v1/tokens/3")).isEqualTo(Role.ADMIN);
    assertThat(ApiAccessRules.requiredRole("POST", "/api/v1/users")).isEqualTo(Role.ADMIN);
    assertThat(ApiAccessRules.requiredRole("GET", "/api/v1/audit")).isEqualTo(Role.OPERATOR);
    // A prefix is a path segment, not a string prefix.
    assertThat(ApiAccessRules.requiredRole("GET", "/api/v1/users-report")).isEqualTo(Role.VIEWER);
  }

  @Test
  void aConsoleNeedsAnOperatorEvenToRead() {
    assertThat(ApiAccessRules.requiredRole("GET", "/api/v1/vms/web1/console")).isEqualTo(Role.OPERATOR);
    assertThat(ApiAccessRules.requiredRole("GET", "/api/v1/vms/web1/console/stream")).isEqualTo(Role.OPERATOR);
    assertThat(ApiAccessRules.requiredRole("GET", "/api/v1/vms/web1/%63onsole")).isEqualTo(Role.OPERATOR);
    assertThat(ApiAccessRules.requiredRole("GET", "/api/v1/vms/web1")).isEqualTo(Role.VIEWER);
    assertThat(ApiAccessRules.requiredRole("GET", "/api/v1/vms/web1/consoles")).isEqualTo(Role.VIEWER);
  }

  @Test
  void aRoleIncludesTheOnesBelowIt() {
    var admin = UsernamePasswordAuthenticationToken.authenticated("a", null, Role.ADMIN.authorities());
    var viewer = UsernamePasswordAuthenticationToken.authenticated("v", null, Role.VIEWER.authorities());
    assertThat(ApiAccessRules.holds(admin, Role.OPERATOR)).isTrue();
    assertThat(ApiAccessRules.holds(viewer, Role.VIEWER)).isTrue();
    assertThat(ApiAccessRules.holds(viewer, Role.OPERATOR)).isFalse();
    assertThat(ApiAccessRules.holds(new AnonymousAuthenticationToken("k", "anonymous",
        Role.VIEWER.authorities()), Role.VIEWER)).isFalse();
    assertThat(ApiAccessRules.holds(null, Role.VIEWER)).isFalse();
  }

  @Test
  void encodedSegmentsNeedWhatTheDecodedPathNeeds() {
    // Spring MVC decodes segments before matching: an escaped letter must not lower the bar.
    assertThat(ApiAccessRules.requiredRole("GET", "/api/v1/%75sers")).isEqualTo(Role.ADMIN);
    assertThat(ApiAccessRules.requiredRole("GET", "/api/%761/tokens/abc")).isEqualTo(Role.ADMIN);
    assertThat(ApiAccessRules.requiredRole("GET", "/api/v1/%61udit")).isEqualTo(Role.OPERATOR);
    assertThat(ApiAccessRules.requiredRole("GET", "/api/v1/vms/web1/%63onsole")).isEqualTo(Role.OPERATOR);
    assertThat(ApiAccessRules.requiredRole("GET", "/api/v1/vms/web%2B1")).isEqualTo(Role.VIEWER);
  }
}
