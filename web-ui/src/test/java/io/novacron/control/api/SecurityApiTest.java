package io.novacron.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.control.ControlPlaneTest;
import io.novacron.control.security.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Who may call what: bearer tokens, roles by method, admin-only management, audit rows. */
class SecurityApiTest extends ControlPlaneTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String LAUNCH = "{\"name\":\"%s\",\"vcpus\":1,\"memoryMib\":128,\"diskGib\":1,\"node\":\"sec-node\"}";

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;

  @BeforeEach
  void node() {
    jdbc.sql("insert into nodes (name, cpus, memory_mib, host_seen_at) values ('sec-node', 8, 16384, now()) "
        + "on conflict (name) do nothing").update();
  }

  @Test
  void withoutATokenTheApiAnswers401SayingHowToAuthenticate() throws Exception {
    HttpResponse<String> response = send("GET", "/api/v1/vms", null, null);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
        challenge -> assertThat(challenge).startsWith("Bearer"));
    assertThat(JSON.readTree(response.body()).get("detail").asText())
        .contains("Authorization: Bearer <token>").contains("NOVACRON_TOKEN");
    assertThat(send("POST", "/api/v1/vms", null, LAUNCH.formatted("anon1")).statusCode()).isEqualTo(401);
  }

  @Test
  void aWrongOrRevokedTokenIs401() throws Exception {
    HttpResponse<String> wrong = send("GET", "/api/v1/vms", "nct_not-a-real-token", null);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
        challenge -> assertThat(challenge).contains("invalid_token"));
    assertThat(JSON.readTree(wrong.body()).get("detail").asText()).contains("not valid");
    assertThat(sendWithHeader("GET", "/api/v1/vms", "Basic YWRtaW46YWRtaW4=").statusCode()).isEqualTo(401);

    String admin = tokenFor(Role.ADMIN);
    JsonNode created = JSON.readTree(send("POST", "/api/v1/tokens", admin, "{\"name\":\"soon-revoked\",\"role\":\"viewer\"}").body());
    String secret = created.get("token").asText();
    assertThat(send("GET", "/api/v1/vms", secret, null).statusCode()).isEqualTo(200);

    assertThat(send("DELETE", "/api/v1/tokens/" + created.get("id").asLong(), admin, null).statusCode()).isEqualTo(204);
    assertThat(send("GET", "/api/v1/vms", secret, null).statusCode()).isEqualTo(401);
    JsonNode listed = JSON.readTree(send("GET", "/api/v1/tokens/" + created.get("id").asLong(), admin, null).body());
    assertThat(listed.has("revokedAt")).isTrue();
    assertThat(listed.has("token")).as("a token is shown only at creation").isFalse();
    assertThat(send("DELETE", "/api/v1/tokens/999999999", admin, null).statusCode()).isEqualTo(404);
  }

  @Test
  void aViewerReadsButMayNotLaunchAndHearsWhichRoleIsNeeded() throws Exception {
    String viewer = tokenFor(Role.VIEWER);
    assertThat(send("GET", "/api/v1/vms", viewer, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/api/v1/runs?size=5", viewer, null).statusCode()).isEqualTo(200);

    HttpResponse<String> refused = send("POST", "/api/v1/vms", viewer, LAUNCH.formatted("viewer1"));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    JsonNode problem = JSON.readTree(refused.body());
    assertThat(problem.get("requiredRole").asText()).isEqualTo("operator");
    assertThat(problem.get("detail").asText()).contains("needs role operator").contains("has role viewer");
    assertThat(jdbc.sql("select count(*) from runs where subject = 'viewer1'").query(Long.class).single()).isZero();
    assertThat(send("POST", "/api/v1/runs/any/cancel", viewer, null).statusCode()).isEqualTo(403);
  }

  @Test
  void anOperatorLaunchesButMayNotManageTokensOrUsers() throws Exception {
    String operator = tokenFor(Role.OPERATOR);
    assertThat(send("POST", "/api/v1/vms", operator, LAUNCH.formatted("operator1")).statusCode()).isEqualTo(202);

    HttpResponse<String> tokens = send("POST", "/api/v1/tokens", operator, "{\"name\":\"mine\",\"role\":\"admin\"}");
    assertThat(tokens.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(tokens.body()).get("requiredRole").asText()).isEqualTo("admin");
    assertThat(send("GET", "/api/v1/tokens", operator, null).statusCode()).isEqualTo(403);
    assertThat(send("DELETE", "/api/v1/tokens/1", operator, null).statusCode()).isEqualTo(403);
    assertThat(send("POST", "/api/v1/users", operator,
        "{\"username\":\"sneaky\",\"password\":\"long-enough-password\",\"role\":\"admin\"}").statusCode()).isEqualTo(403);
    assertThat(userAccounts.find("sneaky")).isEmpty();
  }

  @Test
  void passwordsAreStoredAsBcryptAndNeverEchoed() throws Exception {
    String password = "correct horse " + UUID.randomUUID();
    HttpResponse<String> created = send("POST", "/api/v1/users", tokenFor(Role.ADMIN),
        "{\"username\":\"hashed-user\",\"password\":\"" + password + "\",\"role\":\"operator\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.body()).doesNotContain(password).doesNotContain("$2");
    assertThat(JSON.readTree(created.body()).get("role").asText()).isEqualTo("operator");

    String hash = jdbc.sql("select password_hash from users where username = 'hashed-user'").query(String.class).single();
    assertThat(hash).matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}").doesNotContain(password);
    assertThat(jdbc.sql("select count(*) from users where password_hash like :p or username like :p")
        .param("p", "%" + password + "%").query(Long.class).single()).isZero();
    assertThat(send("GET", "/api/v1/users", tokenFor(Role.ADMIN), null).body()).contains("hashed-user").doesNotContain("$2");

    HttpResponse<String> again = send("POST", "/api/v1/users", tokenFor(Role.ADMIN),
        "{\"username\":\"hashed-user\",\"password\":\"" + password + "\",\"role\":\"operator\"}");
    assertThat(again.statusCode()).isEqualTo(409);
  }

  @Test
  void badUserAndTokenFieldsAreNamed() throws Exception {
    String admin = tokenFor(Role.ADMIN);
    HttpResponse<String> user = send("POST", "/api/v1/users", admin,
        "{\"username\":\"Bad Name\",\"password\":\"short\",\"role\":\"root\"}");
    assertThat(user.statusCode()).isEqualTo(400);
    assertThat(user.body()).contains("\"field\":\"username\"").contains("\"field\":\"password\"").contains("\"field\":\"role\"");
    HttpResponse<String> token = send("POST", "/api/v1/tokens", admin, "{\"name\":\"\",\"role\":\"superuser\"}");
    assertThat(token.statusCode()).isEqualTo(400);
    assertThat(token.body()).contains("\"field\":\"name\"").contains("\"field\":\"role\"");
  }

  @Test
  void tokensAreStoredOnlyAsTheirSha256() throws Exception {
    HttpResponse<String> created = send("POST", "/api/v1/tokens", tokenFor(Role.ADMIN), "{\"name\":\"ci bot\",\"role\":\"operator\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode body = JSON.readTree(created.body());
    String secret = body.get("token").asText();
    assertThat(secret).startsWith("nct_").hasSizeGreaterThan(40);
    assertThat(body.get("role").asText()).isEqualTo("operator");

    String stored = jdbc.sql("select token_hash from api_tokens where id = :id").param("id", body.get("id").asLong())
        .query(String.class).single();
    assertThat(stored).isEqualTo(HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8))));
    assertThat(jdbc.sql("select count(*) from api_tokens where token_hash = :s or name = :s").param("s", secret)
        .query(Long.class).single()).isZero();
    assertThat(send("POST", "/api/v1/vms", secret, LAUNCH.formatted("cibot1")).statusCode()).isEqualTo(202);
    assertThat(jdbc.sql("select last_used_at is not null from api_tokens where id = :id")
        .param("id", body.get("id").asLong()).query(Boolean.class).single()).isTrue();
  }

  @Test
  void acceptedAndRefusedLaunchesAreAudited() throws Exception {
    String operator = tokenFor(Role.OPERATOR);
    String accepted = UUID.randomUUID().toString();
    String refused = UUID.randomUUID().toString();
    String anonymous = UUID.randomUUID().toString();
    String invalid = UUID.randomUUID().toString();
    assertThat(send("POST", "/api/v1/vms", operator, LAUNCH.formatted("audited1"), accepted).statusCode()).isEqualTo(202);
    assertThat(send("POST", "/api/v1/vms", tokenFor(Role.VIEWER), LAUNCH.formatted("audited2"), refused).statusCode()).isEqualTo(403);
    assertThat(send("POST", "/api/v1/vms", null, LAUNCH.formatted("audited3"), anonymous).statusCode()).isEqualTo(401);
    assertThat(send("POST", "/api/v1/vms", operator, "{\"name\":\"audited4\",\"vcpus\":0}", invalid).statusCode()).isEqualTo(400);

    Map<String, Object> ok = auditRow(accepted);
    assertThat(ok).containsEntry("actor_kind", "token").containsEntry("action", "POST /api/v1/vms")
        .containsEntry("outcome", "accepted").containsEntry("status", 202);
    assertThat((String) ok.get("actor")).startsWith("test-operator-");
    assertThat((String) ok.get("target")).contains("audited1");
    assertThat((String) ok.get("detail")).startsWith("/api/v1/runs/provision-audited1-");

    assertThat(auditRow(refused)).containsEntry("outcome", "refused").containsEntry("status", 403)
        .hasEntrySatisfying("detail", d -> assertThat((String) d).contains("needs role operator"));
    assertThat(auditRow(anonymous)).containsEntry("outcome", "refused").containsEntry("status", 401)
        .containsEntry("actor_kind", "anonymous");
    assertThat(auditRow(invalid)).containsEntry("outcome", "refused").containsEntry("status", 400)
        .hasEntrySatisfying("detail", d -> assertThat((String) d).contains("vcpus"));

    // Operators read the trail, newest first and paged; viewers may not.
    HttpResponse<String> page = send("GET", "/api/v1/audit?page=0&size=10", operator, null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("X-Total-Count")).isPresent();
    assertThat(JSON.readTree(page.body()).size()).isBetween(4, 10);
    assertThat(page.body()).contains(invalid);
    assertThat(send("GET", "/api/v1/audit?size=0", operator, null).statusCode()).isEqualTo(400);
    assertThat(send("GET", "/api/v1/audit", tokenFor(Role.VIEWER), null).statusCode()).isEqualTo(403);
  }

  @Test
  void healthApiDocsAndPrometheusStayOpenAndTheDocumentDeclaresTheBearerScheme() throws Exception {
    assertThat(send("GET", "/actuator/health", null, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/actuator/prometheus", null, null).statusCode()).isEqualTo(200);
    HttpResponse<String> doc = send("GET", "/v3/api-docs", null, null);
    assertThat(doc.statusCode()).isEqualTo(200);
    JsonNode openApi = JSON.readTree(doc.body());
    assertThat(openApi.at("/components/securitySchemes/bearerToken/scheme").asText()).isEqualTo("bearer");
    assertThat(openApi.at("/security/0").has("bearerToken")).isTrue();
    assertThat(openApi.get("paths").has("/api/v1/tokens")).isTrue();
    assertThat(openApi.get("paths").has("/api/v1/audit")).isTrue();
  }

  /** `novacron up` waits on this without a token: an admin may have revoked the bootstrap token. */
  @Test
  void theLiveNodesAreListedWithoutAToken() throws Exception {
    jdbc.sql("insert into nodes (name, cpus, memory_mib, host_seen_at) values ('sec-stale-node', 8, 16384, "
        + "now() - interval '1 hour') on conflict (name) do nothing").update();
    HttpResponse<String> health = send("GET", "/actuator/health/nodes", null, null);
    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode nodes = JSON.readTree(health.body()).at("/components/announcedNodes/details/nodes");
    assertThat(nodes.isArray()).as(health.body()).isTrue();
    assertThat(nodes.toString()).contains("\"sec-node\"").doesNotContain("sec-stale-node");
  }

  private Map<String, Object> auditRow(String requestId) {
    return jdbc.sql("select * from audit_events where request_id = :id").param("id", requestId).query().singleRow();
  }

  private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
    return send(method, path, token, body, null);
  }

  private HttpResponse<String> send(String method, String path, String token, String body, String requestId)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (requestId != null) {
      request.header("X-Request-Id", requestId);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> sendWithHeader(String method, String path, String authorization) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).header("Authorization", authorization).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
