package io.novacron.control.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.control.image.ImageCatalog;
import io.novacron.control.provision.ImageSourcing;
import io.novacron.control.fleet.FleetView;
import io.novacron.control.provision.NodeCapacities;
import io.novacron.workflows.fleet.GroupRules;
import io.novacron.workflows.fleet.VmLoad;
import io.novacron.workflows.image.ImageSource;
import io.novacron.workflows.node.GpuInventory;
import io.novacron.workflows.node.InventoryActivities;
import io.novacron.workflows.node.NodeFacts;
import io.novacron.workflows.node.VmRecord;
import io.novacron.workflows.node.VmStateActivities;
import io.novacron.workflows.provision.NodeCapacity;
import io.novacron.workflows.provision.PlacementPolicy;
import io.novacron.workflows.provision.ProvisionVmRequest;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Upserts announcements, VM records and VM states, and holds a migration's target capacity. A host
 * announcement also reconciles the node's VMs with the domains it lists ({@link DomainReconciler}).
 * Every write is idempotent, as activity retries need.
 */
@Component
public class InventoryActivitiesImpl implements InventoryActivities, VmStateActivities {
  private final JdbcClient jdbc;
  private final ObjectMapper json;
  private final NodeCapacities capacities;
  private final Clock clock;
  private final DomainReconciler reconciler;
  private final GuestAddressRecorder addresses;
  private final ImageCatalog images;
  private final ImageSourcing imageSources;

  private final FleetView fleet;

  InventoryActivitiesImpl(JdbcClient jdbc, ObjectMapper json, NodeCapacities capacities, Clock clock,
      DomainReconciler reconciler, GuestAddressRecorder addresses, ImageCatalog images, ImageSourcing imageSources,
      FleetView fleet) {
    this.fleet = fleet;
    this.jdbc = jdbc;
    this.json = json;
    this.capacities = capacities;
    this.clock = clock;
    this.reconciler = reconciler;
    this.addresses = addresses;
    this.images = images;
    this.imageSources = imageSources;
  }

  /**
   * One transaction: the upsert takes the node's row lock, which placement also takes, so a
   * reservation on the node sees the reconciled capacity entirely or not at all.
   */
  @Override
  @Transactional
  public void recordNode(NodeFacts f) {
    jdbc.sql("""
        insert into nodes (name, hostname, cpu_model, cpus, memory_mib, libvirt_uri, libvirt_driver,
            domain_type, storage_total_gib, storage_free_gib, images, host_agent_version,
            host_announce_interval_s, host_seen_at, networks)
        values (:name, :hostname, :cpuModel, :cpus, :memoryMib, :uri, :driver, :domainType,
            :storageTotal, :storageFree, :images, :version, :interval, :seenAt, :networks)
        on conflict (name) do update set hostname = excluded.hostname, cpu_model = excluded.cpu_model,
            cpus = excluded.cpus, memory_mib = excluded.memory_mib, libvirt_uri = excluded.libvirt_uri,
            libvirt_driver = excluded.libvirt_driver, domain_type = excluded.domain_type,
            storage_total_gib = excluded.storage_total_gib, storage_free_gib = excluded.storage_free_gib,
            images = excluded.images, host_agent_version = excluded.host_agent_version,
            host_announce_interval_s = excluded.host_announce_interval_s,
            host_seen_at = excluded.host_seen_at, networks = excluded.networks
        """)
        .param("name", f.node()).param("hostname", f.hostname()).param("cpuModel", f.cpuModel())
        .param("cpus", f.cpus()).param("memoryMib", f.memoryMib()).param("uri", f.libvirtUri())
        .param("driver", f.libvirtDriver()).param("domainType", f.domainType())
        .param("storageTotal", f.storageTotalGib()).param("storageFree", f.storageFreeGib())
        .param("images", String.join(",", f.images() == null ? List.of() : f.images()))
        .param("version", f.agentVersion()).param("interval", f.announceIntervalSeconds())
        .param("seenAt", Timestamp.from(clock.instant()))
        .param("networks", f.networks() == null ? null : String.join(",", f.networks()))
        .update();
    reconciler.reconcile(f.node(), f.domains(), f.collectedAtMillis());
    addresses.record(f.node(), f.domains());
  }

  @Override
  public void recordGpus(GpuInventory g) {
    jdbc.sql("""
        insert into nodes (name, gpu_source, gpu_driver_version, gpus, gpu_agent_version,
            gpu_announce_interval_s, gpu_seen_at)
        values (:name, :source, :driver, :gpus, :version, :interval, :seenAt)
        on conflict (name) do update set gpu_source = excluded.gpu_source,
            gpu_driver_version = excluded.gpu_driver_version, gpus = excluded.gpus,
            gpu_agent_version = excluded.gpu_agent_version,
            gpu_announce_interval_s = excluded.gpu_announce_interval_s, gpu_seen_at = excluded.gpu_seen_at
        """)
        .param("name", g.node()).param("source", g.source()).param("driver", g.driverVersion())
        .param("gpus", toJson(g.gpus() == null ? List.of() : g.gpus()))
        .param("version", g.agentVersion()).param("interval", g.announceIntervalSeconds())
        .param("seenAt", Timestamp.from(clock.instant()))
        .update();
  }

  @Override
  @Transactional
  public void recordVm(VmRecord vm) {
    jdbc.sql("""
        insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib, image, disk_path, run_id, nics,
            labels)
        values (:name, :uuid, :node, :state, :vcpus, :memoryMib, :diskGib, :image, :diskPath, :runId, :nics,
            coalesce(cast(:labels as text), '{}'))
        on conflict (name) do update set uuid = excluded.uuid, node = excluded.node,
            state = excluded.state, vcpus = excluded.vcpus, memory_mib = excluded.memory_mib,
            disk_gib = excluded.disk_gib, image = excluded.image, disk_path = excluded.disk_path,
            run_id = excluded.run_id, nics = excluded.nics, updated_at = now(),
            labels = coalesce(cast(:labels as text), vms.labels)
        """)
        .param("name", vm.name()).param("uuid", vm.uuid()).param("node", vm.node())
        .param("state", vm.state()).param("vcpus", vm.vcpus()).param("memoryMib", vm.memoryMib())
        .param("diskGib", vm.diskGib()).param("image", vm.image()).param("diskPath", vm.diskPath())
        .param("runId", vm.runId())
        .param("nics", vm.nics() == null || vm.nics().isEmpty() ? null : toJson(vm.nics()))
        // Null leaves the labels an operator set since (a record that does not carry them).
        .param("labels", vm.labels() == null ? null : toJson(vm.labels()))
        .update();
    jdbc.sql("update reservations set bound = true where id = :runId")
        .param("runId", vm.runId())
        .update();
  }

  @Override
  @Transactional
  public void moveVm(String vmName, String toNode, String diskPath) {
    jdbc.sql("""
        update vms set node = :node, disk_path = coalesce(:diskPath, disk_path), state = 'running',
            updated_at = now()
        where name = :name""")
        .param("name", vmName).param("node", toNode).param("diskPath", diskPath)
        .update();
    jdbc.sql("update reservations set node = :node where vm_name = :name")
        .param("name", vmName).param("node", toNode)
        .update();
  }

  @Override
  public void recordVmState(String vmName, String state, String runId) {
    jdbc.sql("update vms set state = :state, run_id = :runId, updated_at = now() where name = :name")
        .param("name", vmName).param("state", state).param("runId", runId)
        .update();
  }

  @Override
  public VmRecord vmRecord(String vmName) {
    return jdbc.sql("""
        select name, uuid, node, state, vcpus, memory_mib, disk_gib, image, disk_path, run_id
        from vms where name = :name""")
        .param("name", vmName)
        .query((rs, i) -> new VmRecord(rs.getString("name"), rs.getString("uuid"), rs.getString("node"),
            rs.getString("state"), rs.getInt("vcpus"), rs.getLong("memory_mib"), rs.getLong("disk_gib"),
            rs.getString("image"), rs.getString("disk_path"), rs.getString("run_id")))
        .optional()
        .orElse(null);
  }

  /** One transaction: the record and the capacity it held go together. */
  @Override
  @Transactional
  public void forgetVm(String vmName, String uuid) {
    int removed = jdbc.sql("delete from vms where name = :name and uuid = :uuid")
        .param("name", vmName).param("uuid", uuid)
        .update();
    if (removed > 0) {
      jdbc.sql("delete from reservations where vm_name = :name").param("name", vmName).update();
    }
  }

  @Override
  public String vmNode(String vmName) {
    return jdbc.sql("select node from vms where name = :name")
        .param("name", vmName)
        .query(String.class)
        .optional()
        .orElse(null);
  }

  @Override
  public ImageSource migrationImageSource(String vmName, String targetNode) {
    String image = jdbc.sql("select image from vms where name = :name").param("name", vmName)
        .query((rs, i) -> Optional.ofNullable(rs.getString(1))).optional().flatMap(o -> o).orElse(null);
    ImageSource source = imageSources.sourceFor(image, targetNode);
    return source.kind() == ImageSource.Kind.LOCAL ? null : source;
  }

  @Override
  public String migrationTargetRefusal(String vmName, String targetNode) {
    return refusal(vmName, targetNode, size(vmName, targetNode));
  }

  @Override
  @Transactional
  public String reserveMigrationTarget(String runId, String vmName, String targetNode) {
    boolean held = jdbc.sql("select exists (select 1 from migration_holds where run_id = :id)")
        .param("id", runId).query(Boolean.class).single();
    if (held) {
      return null;
    }
    // The node's row lock serialises this check-and-hold with every other one on the node
    // (placement takes the same lock), so the capacity read below includes their holds.
    jdbc.sql("select name from nodes where name = :node for update")
        .param("node", targetNode).query(String.class).list();
    Optional<ProvisionVmRequest> size = size(vmName, targetNode);
    String refusal = refusal(vmName, targetNode, size);
    if (refusal != null) {
      return refusal;
    }
    size.ifPresent(vm -> jdbc.sql("""
            insert into migration_holds (run_id, vm_name, node, vcpus, memory_mib, disk_gib, created_at)
            values (:id, :vm, :node, :vcpus, :mem, :disk, :at)""")
        .param("id", runId).param("vm", vmName).param("node", targetNode)
        .param("vcpus", vm.vcpus()).param("mem", vm.memoryMib()).param("disk", vm.diskGib())
        .param("at", Timestamp.from(clock.instant()))
        .update());
    return null;
  }

  @Override
  public void releaseMigrationTarget(String runId) {
    jdbc.sql("delete from migration_holds where run_id = :id").param("id", runId).update();
  }

  /** Why the target cannot take a VM of that size (none for an unknown VM), or null. */
  private String refusal(String vmName, String targetNode, Optional<ProvisionVmRequest> size) {
    List<NodeCapacity> target = capacities.read(targetNode);
    if (target.isEmpty()) {
      return "node '" + targetNode + "' is not known: no host agent has announced it; pick one of"
          + " GET /api/v1/nodes";
    }
    // A registered image the target lacks is no refusal: the move pulls it there first.
    String refusal = size.map(v -> PlacementPolicy.refusal(v, target.get(0), clock.millis(),
        v.imageOrNull() == null ? Set.of() : images.names())).orElse(null);
    if (refusal == null) {
      // The VM's groups (its labels) as provisioning and drains honour them.
      List<VmLoad> all = fleet.all();
      refusal = all.stream().filter(v -> v.name().equals(vmName)).findFirst()
          .map(vm -> GroupRules.refusal(vm, targetNode, all)).orElse(null);
    }
    return refusal == null ? null : "node '" + targetNode + "' cannot take " + vmName + ": " + refusal
        + "; pick another node or free capacity there";
  }

  /**
   * The VM's size, image and networks as the inventory has them, as a request for {@code node};
   * empty for a VM it does not know.
   */
  private Optional<ProvisionVmRequest> size(String vmName, String node) {
    return fleet.vm(vmName).map(vm -> vm.asRequest(node));
  }

  private String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise " + value, e);
    }
  }
}
