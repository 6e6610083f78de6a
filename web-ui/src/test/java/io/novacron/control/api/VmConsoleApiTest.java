package io.novacron.control.api;

import static io.novacron.control.api.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.novacron.control.ControlPlaneTest;
import io.novacron.control.TestDriverHostAgent;
import io.novacron.control.security.Role;
import io.temporal.client.WorkflowClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code GET /api/v1/vms/{name}/console} on the real control plane: a ReadConsole workflow reads a
 * real log file through the host agent's own console activity, polling {@code host.con-a}.
 */
class VmConsoleApiTest extends ControlPlaneTest {
  private static final String NODE = "con-a";
  private static TestDriverHostAgent agent;
  private static Path data;

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired WorkflowClient temporal;
  private ApiClient api;

  @BeforeEach
  void agent() throws Exception {
    api = new ApiClient(port, tokenFor(Role.OPERATOR));
    synchronized (VmConsoleApiTest.class) {
      if (agent == null) {
        data = Files.createTempDirectory("novacron-console-node");
        agent = new TestDriverHostAgent(temporal, NODE, data);
      }
    }
    for (int i = 0; i < 100 && jdbc.sql("select count(*) from nodes where name = :n").param("n", NODE)
        .query(Long.class).single() == 0; i++) {
      Thread.sleep(100);
    }
  }

  private void vm(String name, String node) {
    jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib) values (:name, :uuid, :node,"
        + " 'running', 1, 64, 1) on conflict (name) do nothing")
        .param("name", name).param("uuid", "uuid-" + name).param("node", node).update();
  }

  @Test
  void theLogIsReadFromTheVmsNodeAndFollowedByOffset() throws Exception {
    vm("con-vm1", NODE);
    Path log = Files.createDirectories(data.resolve("consoles")).resolve("con-vm1.log");
    Files.writeString(log, "booting\nnovacron-guest: up\n");

    HttpResponse<String> first = api.get("/api/v1/vms/con-vm1/console");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    JsonNode chunk = JSON.readTree(first.body());
    assertThat(chunk.get("text").asText()).isEqualTo("booting\nnovacron-guest: up\n");
    assertThat(chunk.get("node").asText()).isEqualTo(NODE);
    long next = chunk.get("nextOffset").asLong();
    assertThat(next).isEqualTo(chunk.get("size").asLong()).isEqualTo(27);

    Files.writeString(log, "login: ", StandardOpenOption.APPEND);
    JsonNode more = JSON.readTree(api.get("/api/v1/vms/con-vm1/console?offset=" + next).body());
    assertThat(more.get("text").asText()).isEqualTo("login: ");
    assertThat(more.get("offset").asLong()).isEqualTo(27);

    JsonNode tail = JSON.readTree(api.get("/api/v1/vms/con-vm1/console?offset=-7&max=5").body());
    assertThat(tail.get("text").asText()).isEqualTo("login");
    assertThat(tail.get("truncatedBefore").asBoolean()).isTrue();
  }

  @Test
  @org.junit.jupiter.api.Timeout(120) // a bound on a stream that never sends, not a timing assertion
  void theStreamSendsTheLogThenWhatItGains() throws Exception {
    vm("con-vm6", NODE);
    Path log = Files.createDirectories(data.resolve("consoles")).resolve("con-vm6.log");
    Files.writeString(log, "booting\n");
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

    HttpResponse<java.util.stream.Stream<String>> stream = http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/vms/con-vm6/console/stream"))
        .header("Authorization", "Bearer " + tokenFor(Role.OPERATOR)).header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofLines());

    assertThat(stream.statusCode()).isEqualTo(200);
    java.util.Iterator<String> lines = stream.body().iterator();
    JsonNode first = nextConsoleEvent(lines);
    assertThat(first.get("text").asText()).isEqualTo("booting\n");
    Files.writeString(log, "login: ", StandardOpenOption.APPEND);
    JsonNode second = nextConsoleEvent(lines);
    assertThat(second.get("text").asText()).isEqualTo("login: ");
    assertThat(second.get("offset").asLong()).isEqualTo(8);
    stream.body().close();

    // The VM leaves the inventory while followed: the stream says so and ends.
    HttpResponse<java.util.stream.Stream<String>> followed = http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/vms/con-vm6/console/stream?offset=-7"))
        .header("Authorization", "Bearer " + tokenFor(Role.OPERATOR)).build(), HttpResponse.BodyHandlers.ofLines());
    java.util.Iterator<String> more = followed.body().iterator();
    assertThat(nextConsoleEvent(more).get("text").asText()).isEqualTo("login: ");
    jdbc.sql("delete from vms where name = 'con-vm6'").update();
    java.util.List<String> rest = new java.util.ArrayList<>();
    more.forEachRemaining(rest::add);
    assertThat(rest).contains("event:gone");

    HttpResponse<String> unknown = http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/vms/nobody/console/stream"))
        .header("Authorization", "Bearer " + tokenFor(Role.OPERATOR)).header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
  }

  /** The data of the next {@code console} event. */
  private static JsonNode nextConsoleEvent(java.util.Iterator<String> lines) throws Exception {
    boolean console = false;
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.equals("event:console")) {
        console = true;
      } else if (console && line.startsWith("data:")) {
        return JSON.readTree(line.substring("data:".length()));
      }
    }
    throw new AssertionError("the stream ended");
  }

  @Test
  void aVmWithoutALogHasAnEmptyOne() throws Exception {
    vm("con-vm2", NODE);

    HttpResponse<String> empty = api.get("/api/v1/vms/con-vm2/console");

    assertThat(empty.statusCode()).as(empty.body()).isEqualTo(200);
    assertThat(JSON.readTree(empty.body()).get("text").asText()).isEmpty();
    assertThat(JSON.readTree(empty.body()).get("size").asLong()).isZero();
  }

  @Test
  void unknownVmsBadParametersViewersAndUnreachableNodesAreRefused() throws Exception {
    assertThat(api.get("/api/v1/vms/nobody/console").statusCode()).isEqualTo(404);

    vm("con-vm3", NODE);
    HttpResponse<String> badMax = api.get("/api/v1/vms/con-vm3/console?max=999999");
    assertThat(badMax.statusCode()).isEqualTo(400);
    assertThat(ApiClient.fields(badMax.body())).containsExactly("max");
    assertThat(ApiClient.fields(api.get("/api/v1/vms/con-vm3/console?offset=end").body())).containsExactly("offset");

    assertThat(new ApiClient(port, tokenFor(Role.VIEWER)).get("/api/v1/vms/con-vm3/console").statusCode())
        .as("a console may show secrets: operators only").isEqualTo(403);

    jdbc.sql("insert into nodes (name, cpus, memory_mib, host_seen_at) values ('con-gone', 4, 4096,"
        + " now() - interval '1 day') on conflict (name) do nothing").update();
    vm("con-vm4", "con-gone");
    HttpResponse<String> stale = api.get("/api/v1/vms/con-vm4/console");
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(stale.body()).contains("con-gone").contains("stale");
    assertThat(stale.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));

    // Announced a moment ago, but no agent polls its queue: the read is not taken.
    jdbc.sql("insert into nodes (name, cpus, memory_mib, host_seen_at, host_announce_interval_s) values"
        + " ('con-silent', 4, 4096, now(), 3600) on conflict (name) do nothing").update();
    vm("con-vm5", "con-silent");
    HttpResponse<String> silent = api.get("/api/v1/vms/con-vm5/console");
    assertThat(silent.statusCode()).as(silent.body()).isEqualTo(409);
    assertThat(silent.body()).contains("con-silent").contains("did not take the read");
  }
}
