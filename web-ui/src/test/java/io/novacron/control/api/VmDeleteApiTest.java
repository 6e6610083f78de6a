package io.novacron.control.api;

import static io.novacron.control.api.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.novacron.control.ControlPlaneTest;
import io.novacron.control.TestDriverHostAgent;
import io.novacron.control.security.Role;
import io.novacron.host.libvirt.LibvirtSession;
import io.novacron.host.storage.DiskStore;
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
 * {@code DELETE /api/v1/vms/{name}} on the real control plane, with the host agent's own
 * activities on libvirt's test driver: a real domain and a real disk file go, no guest boots.
 */
class VmDeleteApiTest extends ControlPlaneTest {
  private static final String NODE = "del-a";
  private static TestDriverHostAgent agent;
  private static Path data;

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired WorkflowClient temporal;
  private ApiClient api;

  @BeforeEach
  void agent() throws Exception {
    api = new ApiClient(port, tokenFor(Role.OPERATOR));
    synchronized (VmDeleteApiTest.class) {
      if (agent == null) {
        data = Files.createTempDirectory("novacron-delete-node");
        agent = new TestDriverHostAgent(temporal, NODE, data);
      }
    }
    for (int i = 0; i < 100 && jdbc.sql("select count(*) from nodes where name = :n").param("n", NODE)
        .query(Long.class).single() == 0; i++) {
      Thread.sleep(100);
    }
  }

  @Test
  void aDeleteRemovesTheDomainTheDiskTheRecordAndTheCapacity() throws Exception {
    HttpResponse<String> provisioned = api.post("/api/v1/vms",
        "{\"name\":\"del-vm1\",\"vcpus\":1,\"memoryMib\":64,\"diskGib\":1,\"node\":\"" + NODE + "\"}", null);
    assertThat(api.awaitEnd(runId(provisioned)).get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(volumeExists("del-vm1")).as("its disk volume").isTrue();
    assertThat(reservations("del-vm1")).isEqualTo(1);

    HttpResponse<String> deleted = api.delete("/api/v1/vms/del-vm1", null);

    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
    String runId = runId(deleted);
    assertThat(runId).startsWith("delete-del-vm1-");
    JsonNode run = api.awaitEnd(runId);
    assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(run.get("type").asText()).isEqualTo("DeleteVm");
    assertThat(jdbc.sql("select phase from run_events where run_id = :id order by id")
        .param("id", runId).query(String.class).list())
        .containsSubsequence("check", "destroy", "clean-up", "forget", "succeeded");
    assertThat(api.get("/api/v1/vms/del-vm1").statusCode()).isEqualTo(404);
    assertThat(reservations("del-vm1")).as("its capacity is free").isZero();
    assertThat(volumeExists("del-vm1")).as("its disk volume is gone").isFalse();
    assertThat(domainExists("del-vm1")).as("the domain is gone").isFalse();
    HttpResponse<String> again = api.delete("/api/v1/vms/del-vm1", null);
    assertThat(again.statusCode()).as("a repeated delete finds nothing").isEqualTo(404);
    JsonNode audit = JSON.readTree(new ApiClient(port, tokenFor(Role.ADMIN)).get("/api/v1/audit?size=200").body());
    assertThat(audit.findValues("action").stream().map(JsonNode::asText)).contains("DELETE /api/v1/vms/{name}");
  }

  @Test
  void aVmThatAnotherRunIsChangingIsAConflictAndAnUnknownOneNotFound() throws Exception {
    jdbc.sql("insert into nodes (name, cpus, memory_mib, host_seen_at) values ('del-nowhere', 4, 4096, now())"
        + " on conflict (name) do nothing").update();
    jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib) values ('del-vm2', 'u2',"
        + " 'del-nowhere', 'running', 1, 64, 1) on conflict (name) do nothing").update();
    jdbc.sql("insert into runs (id, type, subject, state, phase, started_at, updated_at)"
        + " values ('migrate-del-vm2-busy', 'MigrateVm', 'del-vm2', 'RUNNING', 'transfer', now(), now())").update();

    HttpResponse<String> refused = api.delete("/api/v1/vms/del-vm2", null);
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("migrate-del-vm2-busy");
    assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));

    assertThat(api.delete("/api/v1/vms/nobody", null).statusCode()).isEqualTo(404);
    HttpResponse<String> viewer = new ApiClient(port, tokenFor(Role.VIEWER)).delete("/api/v1/vms/del-vm2", null);
    assertThat(viewer.statusCode()).isEqualTo(403);
    assertThat(jdbc.sql("select count(*) from runs where subject = 'del-vm2'").query(Long.class).single())
        .as("only the migration's").isEqualTo(1);
  }

  /** Whether the node's storage pool on libvirt's test driver holds the VM's disk volume. */
  private static boolean volumeExists(String vm) throws Exception {
    try (LibvirtSession libvirt = new LibvirtSession("test:///default")) {
      Boolean exists = libvirt.call(c -> {
        try {
          c.storagePoolLookupByName(DiskStore.poolName(NODE)).storageVolLookupByName(DiskStore.volumeName(vm));
          return true;
        } catch (org.libvirt.LibvirtException e) {
          return false;
        }
      });
      return exists;
    }
  }

  /** Whether libvirt's test driver still has a domain of that name (the host agent's connection). */
  private static boolean domainExists(String name) throws Exception {
    try (LibvirtSession libvirt = new LibvirtSession("test:///default")) {
      Boolean exists = libvirt.call(c -> {
        try {
          c.domainLookupByName(name);
          return true;
        } catch (org.libvirt.LibvirtException e) {
          return false;
        }
      });
      return exists;
    }
  }

  private long reservations(String vm) {
    return jdbc.sql("select count(*) from reservations where vm_name = :n").param("n", vm).query(Long.class).single();
  }

  private static String runId(HttpResponse<String> accepted) throws Exception {
    return JSON.readTree(accepted.body()).get("runId").asText();
  }
}
