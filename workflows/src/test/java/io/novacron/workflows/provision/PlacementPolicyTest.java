package io.novacron.workflows.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementPolicyTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final int INTERVAL = 10;

  /** A fresh node with the tiny image, nothing reserved. */
  private static NodeCapacity node(String name, int cpus, long memoryMib, long storageFreeGib) {
    return new NodeCapacity(name, cpus, memoryMib, storageFreeGib, List.of("tiny"), 0, 0, 0, NOW, INTERVAL);
  }

  private static NodeCapacity reserved(NodeCapacity n, int vcpus, long memoryMib, long diskGib) {
    return new NodeCapacity(n.node(), n.cpus(), n.memoryMib(), n.storageFreeGib(), n.images(),
        vcpus, memoryMib, diskGib, n.lastSeenMillis(), n.announceIntervalSeconds());
  }

  private static NodeCapacity lastSeen(NodeCapacity n, long lastSeenMillis) {
    return new NodeCapacity(n.node(), n.cpus(), n.memoryMib(), n.storageFreeGib(), n.images(),
        n.reservedVcpus(), n.reservedMemoryMib(), n.reservedDiskGib(), lastSeenMillis,
        n.announceIntervalSeconds());
  }

  private static NodeCapacity images(NodeCapacity n, List<String> images) {
    return new NodeCapacity(n.node(), n.cpus(), n.memoryMib(), n.storageFreeGib(), images,
        n.reservedVcpus(), n.reservedMemoryMib(), n.reservedDiskGib(), n.lastSeenMillis(),
        n.announceIntervalSeconds());
  }

  @Test
  void aNodeWithoutARequestedNetworkIsRefusedNamingItAndWhatItOffers() {
    NodeCapacity a = node("node-a", 8, 16384, 100);
    NodeCapacity b = new NodeCapacity("node-b", 8, 8192, 100, List.of("tiny"), 0, 0, 0, NOW, INTERVAL,
        List.of("default", "lab"));
    NodeCapacity c = new NodeCapacity("node-c", 8, 32768, 100, List.of("tiny"), 0, 0, 0, NOW, INTERVAL,
        List.of("default"));
    ProvisionVmRequest wantsLab = new ProvisionVmRequest("web-1", 1, 256, 1, "tiny", null, List.of("lab"));

    PlacementPolicy.Decision decision = choose(wantsLab, a, b, c);

    assertThat(decision.node()).hasValue("node-b");
    assertThat(decision.refusals()).containsExactly("node-a: has no network 'lab'",
        "node-c: has no network 'lab' (it offers default)");
  }

  @Test
  void aCordonedNodeIsRefusedNamingWhy() {
    NodeCapacity a = new NodeCapacity("node-a", 8, 32768, 100, List.of("tiny"), 0, 0, 0, NOW, INTERVAL, null,
        "kernel update");
    NodeCapacity b = node("node-b", 8, 8192, 100);

    PlacementPolicy.Decision decision = choose(request(1, 256, 1), a, b);

    assertThat(decision.node()).hasValue("node-b");
    assertThat(decision.refusals()).containsExactly(
        "node-a: cordoned (kernel update); it takes no new VMs until it is uncordoned");
  }

  @Test
  void aHardAntiAffinityGroupKeepsANewMemberOffTheNodesItsPeersRunOn() {
    NodeCapacity a = node("node-a", 8, 32768, 100);
    NodeCapacity b = node("node-b", 8, 8192, 100);
    java.util.Map<String, String> group = java.util.Map.of(io.novacron.workflows.fleet.GroupRules.ANTI_AFFINITY, "web");
    ProvisionVmRequest web2 = new ProvisionVmRequest("web-2", 1, 256, 1, "tiny", null, null, null, group);
    io.novacron.workflows.fleet.VmLoad web1 = new io.novacron.workflows.fleet.VmLoad("web-1", "node-a", "running", 1,
        256, 1, "tiny", List.of(), group);

    PlacementPolicy.Decision decision = PlacementPolicy.choose(web2, List.of(a, b), NOW, java.util.Set.of(),
        List.of(web1));

    assertThat(decision.node()).as("node-a has more free memory, but web-1 runs there").hasValue("node-b");
    assertThat(decision.refusals()).singleElement().asString().startsWith("node-a: ").contains("web-1");
  }

  private static ProvisionVmRequest request(int vcpus, long memoryMib, long diskGib) {
    return new ProvisionVmRequest("web-1", vcpus, memoryMib, diskGib, "tiny", null);
  }

  private static PlacementPolicy.Decision choose(ProvisionVmRequest request, NodeCapacity... nodes) {
    return PlacementPolicy.choose(request, List.of(nodes), NOW);
  }

  @Test
  void choosesTheNodeWithTheMostFreeMemory() {
    NodeCapacity a = node("node-a", 8, 8192, 100);
    NodeCapacity b = reserved(node("node-b", 8, 16384, 100), 0, 4096, 0); // 12288 free
    NodeCapacity c = reserved(node("node-c", 8, 32768, 100), 0, 30000, 0); // 2768 free
    PlacementPolicy.Decision decision = choose(request(1, 256, 1), a, b, c);
    assertThat(decision.node()).contains("node-b");
    assertThat(decision.refusals()).isEmpty();
  }

  @Test
  void choiceDoesNotDependOnInputOrder() {
    NodeCapacity a = node("node-a", 8, 8192, 100);
    NodeCapacity b = node("node-b", 8, 16384, 100);
    assertThat(choose(request(1, 256, 1), a, b).node()).contains("node-b");
    assertThat(choose(request(1, 256, 1), b, a).node()).contains("node-b");
  }

  @Test
  void tieOnFreeMemoryGoesToTheFirstName() {
    NodeCapacity a = node("node-a", 8, 8192, 100);
    NodeCapacity b = node("node-b", 8, 8192, 100);
    assertThat(choose(request(1, 256, 1), b, a).node()).contains("node-a");
  }

  @Test
  void vcpusMayBeOvercommittedFourTimes() {
    assertThat(PlacementPolicy.VCPU_OVERCOMMIT).isEqualTo(4);
    NodeCapacity twoCpus = node("node-a", 2, 8192, 100); // 8 vCPUs allowed
    assertThat(choose(request(8, 256, 1), twoCpus).node()).contains("node-a");
    assertThat(choose(request(2, 256, 1), reserved(twoCpus, 6, 0, 0)).node()).contains("node-a");

    PlacementPolicy.Decision full = choose(request(3, 256, 1), reserved(twoCpus, 6, 0, 0));
    assertThat(full.node()).isEmpty();
    assertThat(full.refusals()).containsExactly("node-a: needs 3 vCPUs, 2 free");
  }

  @Test
  void memoryIsNotOvercommitted() {
    NodeCapacity n = reserved(node("node-a", 8, 8192, 100), 0, 4096, 0);
    assertThat(choose(request(1, 4096, 1), n).node()).contains("node-a");
    PlacementPolicy.Decision decision = choose(request(1, 4097, 1), n);
    assertThat(decision.node()).isEmpty();
    assertThat(decision.refusals()).containsExactly("node-a: needs 4097 MiB memory, 4096 MiB free");
  }

  @Test
  void diskIsNotOvercommittedAndCountsUnboundReservations() {
    NodeCapacity n = reserved(node("node-a", 8, 8192, 100), 0, 0, 60);
    assertThat(choose(request(1, 256, 40), n).node()).contains("node-a");
    PlacementPolicy.Decision decision = choose(request(1, 256, 41), n);
    assertThat(decision.node()).isEmpty();
    assertThat(decision.refusals()).containsExactly("node-a: needs 41 GiB disk, 40 GiB free");
  }

  @Test
  void staleNodesAreSkippedEvenWithTheMostRoom() {
    NodeCapacity big = lastSeen(node("node-big", 64, 262144, 1000), NOW - 3 * INTERVAL * 1000L - 1);
    NodeCapacity small = node("node-small", 2, 1024, 10);
    PlacementPolicy.Decision decision = choose(request(1, 256, 1), big, small);
    assertThat(decision.node()).contains("node-small");
    assertThat(decision.refusals()).singleElement().asString()
        .startsWith("node-big: stale").contains("3 intervals");
  }

  @Test
  void nodeSeenExactlyThreeIntervalsAgoIsStillUsed() {
    NodeCapacity n = lastSeen(node("node-a", 8, 8192, 100), NOW - 3 * INTERVAL * 1000L);
    assertThat(choose(request(1, 256, 1), n).node()).contains("node-a");
  }

  @Test
  void nodeWithoutTheImageIsRefused() {
    NodeCapacity noTiny = images(node("node-a", 8, 65536, 100), List.of("ubuntu"));
    NodeCapacity nullImages = images(node("node-b", 8, 65536, 100), null);
    NodeCapacity withTiny = node("node-c", 1, 1024, 10);
    PlacementPolicy.Decision decision = choose(request(1, 256, 1), noTiny, nullImages, withTiny);
    assertThat(decision.node()).contains("node-c");
    assertThat(decision.refusals())
        .containsExactly("node-a: has no image 'tiny' (and it is not registered, so it cannot be pulled)",
            "node-b: has no image 'tiny' (and it is not registered, so it cannot be pulled)");
  }

  @Test
  void aRegisteredImageLetsANodeWithoutItTakeTheVm() {
    NodeCapacity noTiny = images(node("node-a", 8, 65536, 100), List.of("ubuntu"));
    PlacementPolicy.Decision decision =
        PlacementPolicy.choose(request(1, 256, 1), List.of(noTiny), NOW, java.util.Set.of("tiny"));
    assertThat(decision.node()).contains("node-a");
    assertThat(decision.refusals()).isEmpty();
  }

  @Test
  void aNodeThatHoldsTheImageWinsOverOneWithMoreMemoryThatMustPullIt() {
    NodeCapacity bigWithout = images(node("node-a", 8, 65536, 100), List.of());
    NodeCapacity smallWith = node("node-b", 1, 1024, 10);
    PlacementPolicy.Decision decision =
        PlacementPolicy.choose(request(1, 256, 1), List.of(bigWithout, smallWith), NOW, java.util.Set.of("tiny"));
    assertThat(decision.node()).contains("node-b");
  }

  @Test
  void emptyDiskNeedsNoImage() {
    NodeCapacity noImages = images(node("node-a", 8, 8192, 100), null);
    ProvisionVmRequest emptyDisk = new ProvisionVmRequest("web-1", 1, 256, 1, "", null);
    assertThat(choose(emptyDisk, noImages).node()).contains("node-a");
  }

  @Test
  void pinnedNodeIsHonouredWhenItFits() {
    // The placement activity passes only the requested node's row when the request pins one.
    ProvisionVmRequest pinned = new ProvisionVmRequest("web-1", 1, 512, 1, "tiny", "node-small");
    NodeCapacity small = node("node-small", 1, 1024, 10);
    assertThat(PlacementPolicy.choose(pinned, List.of(small), NOW).node()).contains("node-small");
  }

  @Test
  void pinnedNodeWithoutRoomIsRefusedWithItsReason() {
    ProvisionVmRequest pinned = new ProvisionVmRequest("web-1", 1, 2048, 1, "tiny", "node-small");
    NodeCapacity small = node("node-small", 1, 1024, 10);
    PlacementPolicy.Decision decision = PlacementPolicy.choose(pinned, List.of(small), NOW);
    assertThat(decision.node()).isEmpty();
    assertThat(decision.explain()).isEqualTo("node-small: needs 2048 MiB memory, 1024 MiB free");
  }

  @Test
  void noNodeWithRoomExplainsEveryShortfall() {
    NodeCapacity lowMemory = reserved(node("node-a", 8, 4096, 100), 0, 3072, 0);
    NodeCapacity lowCpu = reserved(node("node-b", 1, 65536, 100), 4, 0, 0);
    NodeCapacity lowDisk = node("node-c", 8, 65536, 5);
    NodeCapacity stale = lastSeen(node("node-d", 64, 262144, 1000), NOW - 3_600_000);
    PlacementPolicy.Decision decision =
        choose(request(2, 2048, 10), lowMemory, lowCpu, lowDisk, stale);
    assertThat(decision.node()).isEmpty();
    assertThat(decision.refusals()).containsExactly(
        "node-a: needs 2048 MiB memory, 1024 MiB free",
        "node-b: needs 2 vCPUs, 0 free",
        "node-c: needs 10 GiB disk, 5 GiB free",
        "node-d: stale (no announcement for over 3 intervals)");
    assertThat(decision.explain()).isEqualTo(String.join("; ", decision.refusals()));
  }

  @Test
  void noNodesAtAllIsExplained() {
    PlacementPolicy.Decision decision = PlacementPolicy.choose(request(1, 256, 1), List.of(), NOW);
    assertThat(decision.node()).isEmpty();
    assertThat(decision.explain()).isEqualTo("no node has announced itself");
  }

  @Test
  void refusalIsNullForANodeThatFits() {
    assertThat(PlacementPolicy.refusal(request(1, 256, 1), node("node-a", 1, 256, 1), NOW)).isNull();
  }
}
