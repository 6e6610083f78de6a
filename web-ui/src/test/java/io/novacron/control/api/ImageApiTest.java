package io.novacron.control.api;

import static io.novacron.control.api.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.novacron.control.ControlPlaneTest;
import io.novacron.control.security.Role;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code /api/v1/images} on the real control plane and its PostgreSQL: register, list, read and
 * delete, and the 400s, 404s and 409s. The test context allows the URL host images.example.org.
 */
class ImageApiTest extends ControlPlaneTest {
  private static final String SHA = "0123456789abcdef".repeat(4);

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  private ApiClient api;

  @BeforeEach
  void client() {
    api = new ApiClient(port, tokenFor(Role.OPERATOR));
  }

  private static String byUrl(String name, String sha, String url) {
    return "{\"name\":\"" + name + "\",\"format\":\"qcow2\",\"sha256\":\"" + sha + "\",\"url\":\"" + url + "\"}";
  }

  private static void assertProblem(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
  }

  @Test
  void aRegisteredImageIsListedWithTheNodesThatHoldItAndARetryChangesNothing() throws Exception {
    jdbc.sql("insert into nodes (name, cpus, memory_mib, images, host_seen_at) values"
        + " ('img-holder', 4, 4096, 'other,img-deb', now()) on conflict (name) do nothing").update();
    String body = byUrl("img-deb", SHA, "https://images.example.org/debian-12.qcow2");

    HttpResponse<String> created = api.post("/api/v1/images", body, null);

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).contains("/api/v1/images/img-deb");
    JsonNode image = JSON.readTree(created.body());
    assertThat(image.get("sha256").asText()).isEqualTo(SHA);
    assertThat(image.get("format").asText()).isEqualTo("qcow2");
    assertThat(image.get("url").asText()).isEqualTo("https://images.example.org/debian-12.qcow2");
    assertThat(image.get("nodes").toString()).isEqualTo("[\"img-holder\"]");

    HttpResponse<String> again = api.post("/api/v1/images", body, null);
    assertThat(again.statusCode()).as("the same registration again").isEqualTo(200);
    HttpResponse<String> other = api.post("/api/v1/images", byUrl("img-deb", "f".repeat(64),
        "https://images.example.org/debian-12.qcow2"), null);
    assertProblem(other, 409);
    assertThat(other.body()).contains("DELETE /api/v1/images/img-deb");

    JsonNode listed = JSON.readTree(api.get("/api/v1/images").body());
    assertThat(listed.findValuesAsText("name")).contains("img-deb");
    HttpResponse<String> read = new ApiClient(port, tokenFor(Role.VIEWER)).get("/api/v1/images/img-deb");
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(read.body()).get("sha256").asText()).as("unchanged by the refused one").isEqualTo(SHA);
    assertThat(api.get("/api/v1/images/img-nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void badFieldsAreEach400sNamingTheFieldAndNothingIsRegistered() throws Exception {
    HttpResponse<String> bad = api.post("/api/v1/images",
        "{\"name\":\"Bad/Name\",\"format\":\"vmdk\",\"sha256\":\"abc\",\"node\":\"img-n\",\"path\":\"relative/x\"}", null);
    assertProblem(bad, 400);
    assertThat(ApiClient.fields(bad.body())).containsExactly("name", "format", "sha256", "path");

    HttpResponse<String> notAllowed = api.post("/api/v1/images", byUrl("img-evil", SHA, "https://evil.example.com/x.qcow2"), null);
    assertProblem(notAllowed, 400);
    assertThat(ApiClient.fields(notAllowed.body())).containsExactly("url");
    assertThat(notAllowed.body()).contains("novacron.images.allowed-url-hosts");

    HttpResponse<String> ftp = api.post("/api/v1/images", byUrl("img-ftp", SHA, "ftp://images.example.org/x"), null);
    assertThat(ApiClient.fields(ftp.body())).containsExactly("url");

    HttpResponse<String> unknownNode = api.post("/api/v1/images",
        "{\"name\":\"img-file\",\"format\":\"raw\",\"sha256\":\"" + SHA + "\",\"node\":\"img-nowhere\",\"path\":\"/srv/x.img\"}",
        null);
    assertProblem(unknownNode, 400);
    assertThat(ApiClient.fields(unknownNode.body())).containsExactly("node");

    HttpResponse<String> viewer = new ApiClient(port, tokenFor(Role.VIEWER)).post("/api/v1/images",
        byUrl("img-viewer", SHA, "https://images.example.org/x.qcow2"), null);
    assertThat(viewer.statusCode()).isEqualTo(403);
    assertThat(jdbc.sql("select count(*) from images where name in ('img-evil', 'img-ftp', 'img-file', 'img-viewer')")
        .query(Long.class).single()).isZero();
  }

  @Test
  void anImageInUseIsNotDeletedAndTheConflictNamesTheVms() throws Exception {
    jdbc.sql("insert into nodes (name, cpus, memory_mib, host_seen_at) values ('img-node', 4, 4096, now())"
        + " on conflict (name) do nothing").update();
    HttpResponse<String> created = api.post("/api/v1/images",
        "{\"name\":\"img-used\",\"format\":\"raw\",\"sha256\":\"" + SHA + "\",\"sizeBytes\":1048576,"
            + "\"node\":\"img-node\",\"path\":\"/srv/images/used.img\"}", null);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib, image) values"
        + " ('img-vm1', 'u-img-vm1', 'img-node', 'running', 1, 64, 1, 'img-used')").update();

    HttpResponse<String> refused = api.delete("/api/v1/images/img-used", null);

    assertProblem(refused, 409);
    assertThat(refused.body()).contains("img-vm1");
    assertThat(api.get("/api/v1/images/img-used").statusCode()).as("still registered").isEqualTo(200);

    jdbc.sql("delete from vms where name = 'img-vm1'").update();
    assertThat(api.delete("/api/v1/images/img-used", null).statusCode()).isEqualTo(204);
    assertThat(api.get("/api/v1/images/img-used").statusCode()).isEqualTo(404);
    HttpResponse<String> again = api.delete("/api/v1/images/img-used", null);
    assertProblem(again, 404);
    assertThat(jdbc.sql("select count(*) from images where name = 'img-used'").query(Long.class).single()).isZero();
    assertThat(List.of(new ApiClient(port, tokenFor(Role.VIEWER)).delete("/api/v1/images/img-x", null).statusCode()))
        .containsExactly(403);
    JsonNode audit = JSON.readTree(new ApiClient(port, tokenFor(Role.ADMIN)).get("/api/v1/audit?size=200").body());
    assertThat(audit.findValues("action").stream().map(JsonNode::asText))
        .contains("POST /api/v1/images", "DELETE /api/v1/images/{name}");
  }
}
