package io.novacron.control.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.control.ControlPlaneTest;
import io.novacron.control.inventory.InventoryActivitiesImpl;
import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.image.ImageSource;
import io.novacron.workflows.provision.Placement;
import io.novacron.workflows.provision.ProvisionVmRequest;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Placement and a migration's target check with registered images, on the real database: a node
 * that lacks a registered image is chosen and told where to get it; an unregistered one is not.
 */
class ImagePlacementTest extends ControlPlaneTest {
  private static final String SHA = "ab".repeat(32);

  @Autowired PlacementActivitiesImpl placement;
  @Autowired InventoryActivitiesImpl inventory;
  @Autowired JdbcClient jdbc;

  private void node(String name, String images) {
    jdbc.sql("""
            insert into nodes (name, cpus, memory_mib, storage_free_gib, images, host_announce_interval_s, host_seen_at)
            values (:name, 8, 8192, 100, :images, 15, now())""")
        .param("name", name).param("images", images).update();
  }

  private void register(String image, String url) {
    jdbc.sql("insert into images (name, format, sha256, url, created_at) values (:n, 'qcow2', :sha, :url, now())")
        .param("n", image).param("sha", SHA).param("url", url).update();
  }

  @Test
  void aNodeWithoutARegisteredImageIsPlacedAndToldToPullItFromTheNodeThatHasIt() {
    node("imgp-a", "imgp-deb");
    register("imgp-deb", "https://images.example.org/deb.qcow2");

    Placement placed = placement.reserve("imgp-run-1",
        new ProvisionVmRequest("imgp-vm1", 1, 256, 1, "imgp-deb", "imgp-a"));
    assertThat(placed.node()).isEqualTo("imgp-a");
    assertThat(placed.image()).as("it holds it: nothing to pull").isNull();

    node("imgp-b", "");
    Placement onB = placement.reserve("imgp-run-2", new ProvisionVmRequest("imgp-vm2", 1, 256, 1, "imgp-deb", "imgp-b"));
    assertThat(onB.node()).isEqualTo("imgp-b");
    assertThat(onB.image().kind()).isEqualTo(ImageSource.Kind.PEER);
    assertThat(onB.image().node()).isEqualTo("imgp-a");
    assertThat(onB.image().sha256()).isEqualTo(SHA);
    // A retry of the same reservation says the same.
    assertThat(placement.reserve("imgp-run-2", new ProvisionVmRequest("imgp-vm2", 1, 256, 1, "imgp-deb", "imgp-b"))
        .image()).isEqualTo(onB.image());
  }

  @Test
  void anUnregisteredImageNoNodeHoldsIsStillRefusedAndReservesNothing() {
    node("imgp-c", "");
    assertThatThrownBy(() -> placement.reserve("imgp-run-3",
        new ProvisionVmRequest("imgp-vm3", 1, 256, 1, "imgp-unknown", "imgp-c")))
        .isInstanceOfSatisfying(ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureTypes.NO_CAPACITY))
        .hasMessageContaining("not registered");
    assertThat(jdbc.sql("select count(*) from reservations where id = 'imgp-run-3'").query(Long.class).single()).isZero();
  }

  @Test
  void aMigrationTargetWithoutARegisteredImageIsAcceptedAndGetsItFromTheUrl() {
    node("imgp-src", "");
    node("imgp-dst", "");
    register("imgp-url", "https://images.example.org/url.qcow2");
    jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib, image) values"
        + " ('imgp-vm4', 'u4', 'imgp-src', 'running', 1, 256, 1, 'imgp-url')").update();

    assertThat(inventory.migrationTargetRefusal("imgp-vm4", "imgp-dst")).isNull();
    ImageSource source = inventory.migrationImageSource("imgp-vm4", "imgp-dst");
    assertThat(source.kind()).isEqualTo(ImageSource.Kind.URL);
    assertThat(source.url()).isEqualTo("https://images.example.org/url.qcow2");
    assertThat(source.allowedHosts()).contains("images.example.org");
  }
}
