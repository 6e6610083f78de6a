package io.novacron.control.api;

import static io.novacron.control.api.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.novacron.control.ControlPlaneTest;
import io.novacron.control.TestDriverHostAgent;
import io.novacron.control.security.Role;
import io.temporal.client.WorkflowClient;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Pull on first use, end to end: an image registered by URL (a real HTTP server on 127.0.0.1,
 * an allowed host in the test context), a VM provisioned through the REST API onto a node whose
 * library lacks it (the host agent's own activities on libvirt's test driver). The node downloads
 * it, verified by digest, before the disk is made; a corrupted copy fails the run and lands nothing.
 */
class ImagePullApiTest extends ControlPlaneTest {
  private static final String NODE = "pull-a";
  private static TestDriverHostAgent agent;
  private static Path data;
  private static HttpServer server;
  private static byte[] image;

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired WorkflowClient temporal;
  private ApiClient api;

  @BeforeEach
  void agentAndServer() throws Exception {
    api = new ApiClient(port, tokenFor(Role.OPERATOR));
    synchronized (ImagePullApiTest.class) {
      if (agent == null) {
        data = Files.createTempDirectory("novacron-pull-node");
        agent = new TestDriverHostAgent(temporal, NODE, data);
        image = new byte[2 * 1024 * 1024 + 5];
        new Random(15).nextBytes(image);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/disk.qcow2", exchange -> {
          exchange.sendResponseHeaders(200, image.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(image);
          }
        });
        server.start();
      }
    }
    for (int i = 0; i < 100 && jdbc.sql("select count(*) from nodes where name = :n").param("n", NODE)
        .query(Long.class).single() == 0; i++) {
      Thread.sleep(100);
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/disk.qcow2";
  }

  private void register(String name, String sha256) throws Exception {
    HttpResponse<String> registered = api.post("/api/v1/images", "{\"name\":\"" + name + "\",\"format\":\"qcow2\","
        + "\"sha256\":\"" + sha256 + "\",\"url\":\"" + url() + "\"}", null);
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
  }

  private JsonNode provision(String vm, String imageName) throws Exception {
    HttpResponse<String> accepted = api.post("/api/v1/vms", "{\"name\":\"" + vm + "\",\"vcpus\":1,\"memoryMib\":64,"
        + "\"diskGib\":1,\"image\":\"" + imageName + "\",\"node\":\"" + NODE + "\"}", null);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return api.awaitEnd(JSON.readTree(accepted.body()).get("runId").asText());
  }

  private java.util.List<String> phases(JsonNode run) {
    return jdbc.sql("select phase from run_events where run_id = :id order by id")
        .param("id", run.get("id").asText()).query(String.class).list();
  }

  @Test
  void aRegisteredImageTheNodeLacksIsDownloadedVerifiedAndTheVmBootsOnIt() throws Exception {
    register("pull-good", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image)));

    JsonNode run = provision("pull-vm1", "pull-good");

    assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(phases(run)).containsSubsequence("place", "pull-image", "prepare-storage", "define", "succeeded");
    Path landed = data.resolve("images/pull-good/disk.qcow2");
    assertThat(Files.readAllBytes(landed)).isEqualTo(image);
    assertThat(JSON.readTree(api.get("/api/v1/vms/pull-vm1").body()).get("image").asText()).isEqualTo("pull-good");
    agent.announceNow();
    JsonNode listed = null;
    for (int i = 0; i < 100; i++) {
      listed = JSON.readTree(api.get("/api/v1/images/pull-good").body());
      if (listed.get("nodes").size() > 0) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(listed.get("nodes").toString()).as("the node announces its copy").isEqualTo("[\"" + NODE + "\"]");
    assertThat(api.delete("/api/v1/images/pull-good", null).statusCode()).as("the VM uses it").isEqualTo(409);
  }

  @Test
  void aRegistrationByNodeAndPathIsVerifiedAndImportedByThatNodesAgent() throws Exception {
    byte[] bytes = "a raw disk, small".getBytes();
    Path file = Files.write(Files.createTempDirectory("novacron-pull-src").resolve("deb.img"), bytes);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

    HttpResponse<String> registered = api.post("/api/v1/images", "{\"name\":\"pull-file\",\"format\":\"raw\","
        + "\"sha256\":\"" + sha + "\",\"node\":\"" + NODE + "\",\"path\":\"" + file + "\"}", null);

    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    JsonNode run = api.awaitEnd(JSON.readTree(registered.body()).get("importRunId").asText());
    assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(run.get("type").asText()).isEqualTo("ImportImage");
    assertThat(Files.readAllBytes(data.resolve("images/pull-file/disk.raw"))).isEqualTo(bytes);

    HttpResponse<String> wrong = api.post("/api/v1/images", "{\"name\":\"pull-file-bad\",\"format\":\"raw\","
        + "\"sha256\":\"" + "1".repeat(64) + "\",\"node\":\"" + NODE + "\",\"path\":\"" + file + "\"}", null);
    JsonNode refused = api.awaitEnd(JSON.readTree(wrong.body()).get("importRunId").asText());
    assertThat(refused.get("state").asText()).isEqualTo("FAILED");
    assertThat(refused.toString()).contains("nothing landed");
    assertThat(data.resolve("images/pull-file-bad/disk.raw")).doesNotExist();
  }

  @Test
  void aCopyThatDoesNotMatchItsDigestFailsTheRunAndLandsNothing() throws Exception {
    register("pull-bad", "0".repeat(64));

    JsonNode run = provision("pull-vm2", "pull-bad");

    assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("FAILED");
    assertThat(run.toString()).contains("nothing landed");
    Path dir = data.resolve("images/pull-bad");
    assertThat(!Files.exists(dir) || dir.toFile().list().length == 0).as("no file, no partial file").isTrue();
    assertThat(api.get("/api/v1/vms/pull-vm2").statusCode()).isEqualTo(404);
    assertThat(jdbc.sql("select count(*) from reservations where vm_name = 'pull-vm2'").query(Long.class).single())
        .as("its capacity is free").isZero();
  }
}
