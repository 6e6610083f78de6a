package io.novacron.control.provision;

import io.novacron.control.fleet.FleetView;
import io.novacron.control.image.ImageCatalog;
import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.image.ImageSource;
import io.novacron.workflows.provision.NodeCapacity;
import io.novacron.workflows.provision.Placement;
import io.novacron.workflows.provision.PlacementActivities;
import io.novacron.workflows.provision.PlacementPolicy;
import io.novacron.workflows.provision.ProvisionVmRequest;
import io.temporal.failure.ApplicationFailure;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reserves capacity with {@link PlacementPolicy} inside one transaction that holds the candidate
 * node rows locked ({@code for update}), so concurrent reservations on a node are serialised and
 * cannot overbook it. The unique VM name on reservations keeps two runs from creating one VM twice.
 */
@Component
public class PlacementActivitiesImpl implements PlacementActivities {
  private final JdbcClient jdbc;
  private final NodeCapacities capacities;
  private final Clock clock;
  private final ImageCatalog images;
  private final ImageSourcing imageSources;

  private final FleetView fleet;

  PlacementActivitiesImpl(JdbcClient jdbc, NodeCapacities capacities, Clock clock, ImageCatalog images,
      ImageSourcing imageSources, FleetView fleet) {
    this.fleet = fleet;
    this.jdbc = jdbc;
    this.capacities = capacities;
    this.clock = clock;
    this.images = images;
    this.imageSources = imageSources;
  }

  @Override
  @Transactional
  public Placement reserve(String reservationId, ProvisionVmRequest request) {
    Optional<Placement> existing = jdbc.sql("""
            select r.id, r.node, n.libvirt_driver from reservations r join nodes n on n.name = r.node
            where r.id = :id""")
        .param("id", reservationId)
        .query((rs, i) -> new Placement(rs.getString(1), rs.getString(2), rs.getString(3)))
        .optional();
    if (existing.isPresent()) {
      // A retry after the reservation committed: the node may still lack the image, so say again where it gets it.
      Placement placed = existing.get();
      return new Placement(placed.reservationId(), placed.node(), placed.libvirtDriver(),
          imageSource(request, placed.node()));
    }
    boolean nameTaken = jdbc.sql("""
            select exists (select 1 from vms where name = :name)
                or exists (select 1 from reservations where vm_name = :name)""")
        .param("name", request.name())
        .query(Boolean.class)
        .single();
    if (nameTaken) {
      throw ApplicationFailure.newNonRetryableFailure(
          "a VM named '" + request.name() + "' already exists or is being provisioned; choose another name",
          FailureTypes.VM_EXISTS);
    }
    String wanted = request.nodeOrNull();
    // Lock first, then read: under READ COMMITTED a statement that waited for a row lock still
    // computes its other columns from the snapshot it took before waiting, so sums read in the
    // locking statement miss the reservation the lock holder just made (a test caught exactly that).
    // The fixed order keeps concurrent reservations deadlock-free.
    jdbc.sql("""
            select n.name from nodes n
            where n.host_seen_at is not null and (cast(:node as text) is null or n.name = :node)
            order by n.name
            for update""")
        .param("node", wanted)
        .query(String.class)
        .list();
    List<NodeCapacity> nodes = capacities.read(wanted);
    if (wanted != null && nodes.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "node '" + wanted + "' is not known: no host agent has announced it; leave node empty or pick one of GET /api/v1/nodes",
          FailureTypes.UNKNOWN_NODE);
    }
    PlacementPolicy.Decision decision = PlacementPolicy.choose(request, nodes, clock.millis(),
        request.imageOrNull() == null ? Set.of() : images.names(), fleet.all());
    String node = decision.node().orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        "no node can take " + request.name() + " (" + request.vcpus() + " vCPUs, " + request.memoryMib()
            + " MiB, " + request.diskGib() + " GiB): " + decision.explain(),
        FailureTypes.NO_CAPACITY));
    // Decided before the reservation is written: an image no one can supply reserves nothing.
    ImageSource image = imageSource(request, node);
    jdbc.sql("""
            insert into reservations (id, vm_name, node, vcpus, memory_mib, disk_gib, created_at)
            values (:id, :vm, :node, :vcpus, :mem, :disk, :at)""")
        .param("id", reservationId).param("vm", request.name()).param("node", node)
        .param("vcpus", request.vcpus()).param("mem", request.memoryMib()).param("disk", request.diskGib())
        .param("at", Timestamp.from(clock.instant()))
        .update();
    String driver = jdbc.sql("select libvirt_driver from nodes where name = :node")
        // Wrapped: single() refuses a null value, and the driver is null until a host agent reports it.
        .param("node", node).query((rs, i) -> Optional.ofNullable(rs.getString(1))).single().orElse(null);
    return new Placement(reservationId, node, driver, image);
  }

  /** Where {@code node} gets the VM's image; null when it holds it (or the VM has none). */
  private ImageSource imageSource(ProvisionVmRequest request, String node) {
    ImageSource source = imageSources.sourceFor(request.imageOrNull(), node);
    if (source.kind() == ImageSource.Kind.REFUSE) {
      throw ApplicationFailure.newNonRetryableFailure(source.refusal(), FailureTypes.IMAGE_NOT_FOUND);
    }
    return source.kind() == ImageSource.Kind.LOCAL ? null : source;
  }

  @Override
  public void release(String reservationId) {
    jdbc.sql("delete from reservations where id = :id").param("id", reservationId).update();
  }

}
