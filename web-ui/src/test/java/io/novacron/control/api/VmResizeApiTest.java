package io.novacron.control.api;

import static io.novacron.control.api.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.novacron.control.ControlPlaneTest;
import io.novacron.control.TestDriverHostAgent;
import io.novacron.control.security.Role;
import io.novacron.host.libvirt.DomainResize;
import io.novacron.host.libvirt.LibvirtSession;
import io.novacron.host.storage.QemuImg;
import io.temporal.client.WorkflowClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code POST /api/v1/vms/{name}/resize} on the real control plane, with the host agent's own
 * activities on libvirt's test driver: a real domain definition is rewritten, and a real qcow2 file
 * grows (the test driver keeps volumes in memory, so the test makes the file the volume names).
 */
class VmResizeApiTest extends ControlPlaneTest {
  private static final String NODE = "rsz-a";
  private static TestDriverHostAgent agent;

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired WorkflowClient temporal;
  private ApiClient api;

  @BeforeEach
  void agent() throws Exception {
    api = new ApiClient(port, tokenFor(Role.OPERATOR));
    synchronized (VmResizeApiTest.class) {
      if (agent == null) {
        agent = new TestDriverHostAgent(temporal, NODE, Files.createTempDirectory("novacron-resize-node"));
      }
    }
    for (int i = 0; i < 100 && jdbc.sql("select count(*) from nodes where name = :n").param("n", NODE)
        .query(Long.class).single() == 0; i++) {
      Thread.sleep(100);
    }
  }

  @Test
  void aStoppedVmGetsItsNewSizeInLibvirtTheRecordAndItsCapacityAndARunningOneIsToldToStop() throws Exception {
    HttpResponse<String> provisioned = api.post("/api/v1/vms",
        "{\"name\":\"rsz-vm1\",\"vcpus\":1,\"memoryMib\":64,\"diskGib\":2,\"node\":\"" + NODE + "\"}", null);
    assertThat(api.awaitEnd(runId(provisioned)).get("state").asText()).isEqualTo("SUCCEEDED");

    HttpResponse<String> running = api.post("/api/v1/vms/rsz-vm1/resize", "{\"vcpus\":2}", null);
    assertThat(running.statusCode()).as(running.body()).isEqualTo(409);
    assertThat(running.body()).contains("stop it first: novacron vm stop rsz-vm1");
    assertThat(running.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));

    HttpResponse<String> stop = api.post("/api/v1/vms/rsz-vm1/stop", "{\"graceSeconds\":0}", null);
    assertThat(api.awaitEnd(runId(stop)).get("state").asText()).isEqualTo("SUCCEEDED");

    HttpResponse<String> shrink = api.post("/api/v1/vms/rsz-vm1/resize", "{\"diskGib\":1}", null);
    assertThat(shrink.statusCode()).as(shrink.body()).isEqualTo(400);
    assertThat(ApiClient.fields(shrink.body())).containsExactly("diskGib");
    assertThat(shrink.body()).contains("2 GiB now");
    HttpResponse<String> empty = api.post("/api/v1/vms/rsz-vm1/resize", "{}", null);
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(ApiClient.fields(empty.body())).containsExactly("body");
    HttpResponse<String> tooBig = api.post("/api/v1/vms/rsz-vm1/resize", "{\"vcpus\":65}", null);
    assertThat(ApiClient.fields(tooBig.body())).containsExactly("vcpus");
    HttpResponse<String> noRoom = api.post("/api/v1/vms/rsz-vm1/resize", "{\"memoryMib\":1048576}", null);
    assertThat(noRoom.statusCode()).as(noRoom.body()).isEqualTo(409);
    assertThat(noRoom.body()).contains("MiB free");

    // The file the test driver's volume names, for qemu-img to grow.
    String diskPath = JSON.readTree(api.get("/api/v1/vms/rsz-vm1").body()).get("diskPath").asText();
    Files.createDirectories(Path.of(diskPath).getParent());
    Process create = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", diskPath, "2G")
        .redirectErrorStream(true).start();
    assertThat(create.waitFor()).isZero();

    HttpResponse<String> resized = api.post("/api/v1/vms/rsz-vm1/resize",
        "{\"vcpus\":2,\"memoryMib\":128,\"diskGib\":3}", null);

    assertThat(resized.statusCode()).as(resized.body()).isEqualTo(202);
    String runId = runId(resized);
    assertThat(runId).startsWith("resize-rsz-vm1-");
    JsonNode run = api.awaitEnd(runId);
    assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(run.get("type").asText()).isEqualTo("ResizeVm");
    assertThat(jdbc.sql("select phase from run_events where run_id = :id order by id")
        .param("id", runId).query(String.class).list())
        .containsSubsequence("check", "reserve", "resize-domain", "grow-disk", "record", "succeeded");
    JsonNode vm = JSON.readTree(api.get("/api/v1/vms/rsz-vm1").body());
    assertThat(vm.get("vcpus").asInt()).isEqualTo(2);
    assertThat(vm.get("memoryMib").asLong()).isEqualTo(128);
    assertThat(vm.get("diskGib").asLong()).isEqualTo(3);
    assertThat(jdbc.sql("select vcpus || ' ' || memory_mib || ' ' || disk_gib from reservations where vm_name = 'rsz-vm1'")
        .query(String.class).single()).as("the capacity the VM holds").isEqualTo("2 128 3");
    assertThat(jdbc.sql("select count(*) from migration_holds where run_id = :id").param("id", runId)
        .query(Long.class).single()).as("the run's hold is gone").isZero();
    assertThat(definedSize("rsz-vm1")).isEqualTo(new DomainResize.Size(2, 128));
    assertThat(QemuImg.virtualSize(diskPath)).isEqualTo(3L << 30);
  }

  @Test
  void aVmThatAnotherRunIsChangingIsAConflictAndAnUnknownOneNotFound() throws Exception {
    jdbc.sql("insert into nodes (name, cpus, memory_mib, host_seen_at) values ('rsz-nowhere', 4, 4096, now())"
        + " on conflict (name) do nothing").update();
    jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib) values ('rsz-vm2', 'u2',"
        + " 'rsz-nowhere', 'shutoff', 1, 64, 1) on conflict (name) do nothing").update();
    jdbc.sql("insert into runs (id, type, subject, state, phase, started_at, updated_at)"
        + " values ('power-rsz-vm2-busy', 'VmPower', 'rsz-vm2', 'RUNNING', 'shutdown', now(), now())").update();

    HttpResponse<String> refused = api.post("/api/v1/vms/rsz-vm2/resize", "{\"vcpus\":2}", null);
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("power-rsz-vm2-busy");

    assertThat(api.post("/api/v1/vms/nobody/resize", "{\"vcpus\":2}", null).statusCode()).isEqualTo(404);
    HttpResponse<String> viewer = new ApiClient(port, tokenFor(Role.VIEWER))
        .post("/api/v1/vms/rsz-vm2/resize", "{\"vcpus\":2}", null);
    assertThat(viewer.statusCode()).isEqualTo(403);
    assertThat(jdbc.sql("select count(*) from runs where subject = 'rsz-vm2'").query(Long.class).single())
        .as("only the power action's").isEqualTo(1);
  }

  private static DomainResize.Size definedSize(String name) throws Exception {
    try (LibvirtSession libvirt = new LibvirtSession("test:///default")) {
      return DomainResize.size(libvirt.call(c -> c.domainLookupByName(name).getXMLDesc(2)));
    }
  }

  private static String runId(HttpResponse<String> accepted) throws Exception {
    return JSON.readTree(accepted.body()).get("runId").asText();
  }
}
