package io.novacron.control.api;

import static io.novacron.control.api.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.control.ControlPlaneTest;
import io.novacron.control.security.Role;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code GET /api/v1/audit} filters (issue 18) in SQL, counted in {@code X-Total-Count} and paged.
 * The entries are this test's own, under an actor no other test uses.
 */
class AuditFilterApiTest extends ControlPlaneTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  private ApiClient admin;
  private String actor;

  @BeforeEach
  void entries() {
    admin = new ApiClient(port, tokenFor(Role.ADMIN));
    actor = "auditor-" + UUID.randomUUID().toString().substring(0, 8);
    entry(0, "POST /api/v1/vms", "/api/v1/vms (web1)", "accepted");
    entry(1, "POST /api/v1/vms", "/api/v1/vms (web2)", "refused");
    entry(2, "POST /api/v1/vms/{name}/start", "/api/v1/vms/web1/start", "accepted");
    entry(3, "token.create", "ci", "failed");
  }

  @Test
  void eachFilterNarrowsTheListAndTheTotal() throws Exception {
    assertThat(ids("")).containsExactly(3, 2, 1, 0);
    assertThat(ids("&action=POST /api/v1/vms")).containsExactly(2, 1, 0);
    assertThat(ids("&outcome=ACCEPTED")).containsExactly(2, 0);
    assertThat(ids("&target=WEB1")).containsExactly(2, 0);
    assertThat(ids("&since=2026-01-01T10:01:00Z")).containsExactly(3, 2, 1);
    assertThat(ids("&until=2026-01-01T11:02:00+01:00")).containsExactly(1, 0);
    assertThat(ids("&since=2026-01-01T10:01:00Z&until=2026-01-01T10:03:00Z&outcome=refused")).containsExactly(1);
  }

  @Test
  void filtersPageWithTheMatchingTotal() throws Exception {
    HttpResponse<String> page = get("&action=POST&page=1&size=2");
    assertThat(page.headers().firstValue("X-Total-Count")).hasValue("3");
    assertThat(minutes(page)).containsExactly(0);
  }

  @Test
  void badFiltersAreOne400NamingEachParameter() throws Exception {
    HttpResponse<String> bad = admin.get("/api/v1/audit?outcome=ok&since=yesterday&until=2026&size=0");
    assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
    assertThat(bad.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(ApiClient.fields(bad.body())).containsExactlyInAnyOrder("outcome", "since", "until", "size");
  }

  @Test
  void aRefusedRequestCarryingANulByteIsStillAudited() throws Exception {
    // PostgreSQL's text refuses NUL: before, the refusal went unaudited (an ERROR in the log only).
    HttpResponse<String> refused = admin.post("/api/v1/vms",
        "{\"name\":\"nul\\u0000" + actor + "\",\"vcpus\":1,\"memoryMib\":128,\"diskGib\":1,\"image\":\"tiny\"}",
        null);
    assertThat(refused.statusCode()).as(refused.body()).isBetween(400, 499);
    String requestId = refused.headers().firstValue("X-Request-Id").orElseThrow();
    List<String> rows = jdbc.sql("select coalesce(target, '') || ' ' || coalesce(detail, '') from audit_events"
            + " where request_id = :rid")
        .param("rid", requestId).query(String.class).list();
    assertThat(rows).singleElement().satisfies(row -> assertThat(row).doesNotContain("\u0000"));
  }

  private void entry(int minute, String action, String target, String outcome) {
    jdbc.sql("insert into audit_events (at, actor_kind, actor, action, target, outcome, request_id)"
            + " values (:at, 'user', :actor, :action, :target, :outcome, :rid)")
        .param("at", Timestamp.from(T0.plusSeconds(60L * minute))).param("actor", actor).param("action", action)
        .param("target", target).param("outcome", outcome).param("rid", UUID.randomUUID().toString()).update();
  }

  private List<Integer> ids(String filters) throws Exception {
    HttpResponse<String> page = get(filters);
    List<Integer> minutes = minutes(page);
    assertThat(page.headers().firstValue("X-Total-Count")).as(filters).hasValue(Integer.toString(minutes.size()));
    return minutes;
  }

  private HttpResponse<String> get(String filters) throws Exception {
    StringBuilder query = new StringBuilder("?actor=" + actor);
    for (String pair : filters.split("&")) {
      if (!pair.isEmpty()) {
        String[] kv = pair.split("=", 2);
        query.append('&').append(kv[0]).append('=').append(URLEncoder.encode(kv[1], StandardCharsets.UTF_8));
      }
    }
    HttpResponse<String> page = admin.get("/api/v1/audit" + query);
    assertThat(page.statusCode()).as(filters + " " + page.body()).isEqualTo(200);
    return page;
  }

  /** Each entry by its minute after T0, as the list orders them. */
  private static List<Integer> minutes(HttpResponse<String> page) throws Exception {
    List<Integer> minutes = new ArrayList<>();
    JSON.readTree(page.body()).forEach(e ->
        minutes.add((int) ((Instant.parse(e.get("at").asText()).getEpochSecond() - T0.getEpochSecond()) / 60)));
    return minutes;
  }
}
