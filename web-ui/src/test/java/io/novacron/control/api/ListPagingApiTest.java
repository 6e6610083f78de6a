package io.novacron.control.api;

import static io.novacron.control.api.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.control.ControlPlaneTest;
import io.novacron.control.security.Role;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Paging of the VM, node, image, user, token and audit lists (issue 18): plain arrays in a stable
 * order, {@code X-Total-Count}, 400 naming {@code page}/{@code size}; and {@code GET /api/v1/users/{name}}. The database is shared
 * with other test classes, so expectations come from SQL counts and names of this test's own.
 */
class ListPagingApiTest extends ControlPlaneTest {
  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  private ApiClient api;
  private String tag;

  @BeforeEach
  void inventory() {
    api = new ApiClient(port, tokenFor(Role.VIEWER));
    tag = UUID.randomUUID().toString().substring(0, 8);
    for (int i = 0; i < 3; i++) {
      jdbc.sql("insert into nodes (name, cpus, memory_mib, host_seen_at) values (:n, 8, 16384, now())")
          .param("n", "pg-node-" + tag + "-" + i).update();
      jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib, labels) values (:n, :n, :node,"
              + " 'running', 1, 128, 1, :labels)")
          .param("n", "pg-vm-" + tag + "-" + i).param("node", "pg-node-" + tag + "-0")
          .param("labels", "{\"paging\":\"" + tag + "\"}").update();
      jdbc.sql("insert into images (name, format, sha256, url, created_at) values (:n, 'qcow2', :sha,"
              + " 'https://images.example.org/x.qcow2', now())")
          .param("n", "pg-img-" + tag + "-" + i).param("sha", "a".repeat(64)).update();
    }
  }

  @Test
  void eachInventoryListPagesInNameOrderWithTheTotal() throws Exception {
    for (String table : List.of("vms", "nodes", "images")) {
      List<String> names = jdbc.sql("select name from " + table + " order by name").query(String.class).list();
      String path = "/api/v1/" + table;
      HttpResponse<String> first = api.get(path + "?size=2");
      assertThat(first.headers().firstValue("X-Total-Count")).as(path).hasValue(Integer.toString(names.size()));
      assertThat(names(first)).as(path).isEqualTo(names.subList(0, 2));
      HttpResponse<String> second = api.get(path + "?page=1&size=2");
      assertThat(names(second)).as(path).isEqualTo(names.subList(2, Math.min(4, names.size())));
      HttpResponse<String> defaults = api.get(path);
      assertThat(names(defaults)).as(path + ": 50 by default").isEqualTo(names.subList(0, Math.min(50, names.size())));
      assertThat(names(api.get(path + "?page=100000&size=200"))).as("past the end").isEmpty();
      assertProblem(path + "?page=-1", "page");
      assertProblem(path + "?size=0", "size");
      assertProblem(path + "?size=201", "size");
      assertProblem(path + "?size=ten", "size");
    }
  }

  @Test
  void theAdminListsPageTooInTheirOwnOrder() throws Exception {
    ApiClient admin = new ApiClient(port, tokenFor(Role.ADMIN));
    userWith(Role.VIEWER);
    userWith(Role.VIEWER);
    List<String> users = jdbc.sql("select username from users order by username").query(String.class).list();
    HttpResponse<String> userPage = admin.get("/api/v1/users?page=1&size=1");
    assertThat(userPage.headers().firstValue("X-Total-Count")).hasValue(Integer.toString(users.size()));
    assertThat(JSON.readTree(userPage.body()).get(0).get("username").asText()).isEqualTo(users.get(1));

    List<Long> tokens = jdbc.sql("select id from api_tokens order by id").query(Long.class).list();
    HttpResponse<String> tokenPage = admin.get("/api/v1/tokens?page=1&size=2");
    assertThat(tokenPage.headers().firstValue("X-Total-Count")).hasValue(Integer.toString(tokens.size()));
    assertThat(JSON.readTree(tokenPage.body()).get(0).get("id").asLong()).isEqualTo(tokens.get(2));
    assertThat(tokenPage.body()).doesNotContain("\"token\"");

    long entries = jdbc.sql("select count(*) from audit_events").query(Long.class).single();
    HttpResponse<String> auditPage = admin.get("/api/v1/audit?size=1");
    assertThat(JSON.readTree(auditPage.body())).hasSize(1);
    assertThat(Long.parseLong(auditPage.headers().firstValue("X-Total-Count").orElseThrow()))
        .as("entries are added as requests are audited").isGreaterThanOrEqualTo(entries);
    for (String path : List.of("/api/v1/users", "/api/v1/tokens", "/api/v1/audit")) {
      HttpResponse<String> bad = admin.get(path + "?page=x&size=999");
      assertThat(bad.statusCode()).as(path + " " + bad.body()).isEqualTo(400);
      assertThat(ApiClient.fields(bad.body())).as(path).containsExactlyInAnyOrder("page", "size");
    }
  }

  @Test
  void theLabelFilterPagesAndCountsOnlyMatchingVms() throws Exception {
    HttpResponse<String> page = api.get("/api/v1/vms?label=paging=" + tag + "&page=1&size=2");
    assertThat(page.headers().firstValue("X-Total-Count")).hasValue("3");
    assertThat(names(page)).containsExactly("pg-vm-" + tag + "-2");
    assertProblem("/api/v1/vms?label=team&page=-2", "label", "page");
  }

  @Test
  void oneUserIsReadByNameWithoutItsPasswordAnd404WhenUnknown() throws Exception {
    ApiClient admin = new ApiClient(port, tokenFor(Role.ADMIN));
    Credentials user = userWith(Role.OPERATOR);
    HttpResponse<String> found = admin.get("/api/v1/users/" + user.account().username());
    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    assertThat(JSON.readTree(found.body()).get("username").asText()).isEqualTo(user.account().username());
    assertThat(JSON.readTree(found.body()).get("role").asText()).isEqualToIgnoringCase("operator");
    assertThat(found.body()).doesNotContain("password").doesNotContain(user.password());
    HttpResponse<String> unknown = admin.get("/api/v1/users/nobody-" + tag);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).get("detail").asText()).contains("nobody-" + tag);
    assertThat(api.get("/api/v1/users/" + user.account().username()).statusCode()).as("admins only").isEqualTo(403);
  }

  private static List<String> names(HttpResponse<String> list) throws Exception {
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    JSON.readTree(list.body()).forEach(item -> names.add(item.get("name").asText()));
    return names;
  }

  private void assertProblem(String path, String... fields) throws Exception {
    HttpResponse<String> response = api.get(path);
    assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(400);
    assertThat(ApiClient.fields(response.body())).as(path).containsExactlyInAnyOrder(fields);
  }
}
