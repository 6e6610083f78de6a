package io.novacron.host.cloudinit;

import static io.novacron.host.cloudinit.SeedFilesTest.KEY;
import static io.novacron.host.cloudinit.SeedFilesTest.UUID;
import static io.novacron.host.cloudinit.SeedFilesTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.novacron.workflows.cloudinit.CloudInit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Needs xorriso, as every node does (apt-get install xorriso); skipped where it is absent. */
class SeedIsoTest {
  private static final String RSA_KEY = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC2Ntj9lo4ORCqEj5b62ai8ttjakqyePhYbsPpd3/woYIkfxIX+ZhRGfxD7q4Qk/KvTPGYe71h6PbC7oyPxlJpaBG2IOLrDlDpeiHPX7tMGTAl5k6xT0C3uj185DbZScuQRbV8OsYOKUaPq+vqQ6xcIpsqs46qOTo9bOM0oXLo4EHTto8ikXqgrp/Fd6CJngg34coBIeqR+2HE09mnKOYXr+HBdUOw1qEa6rqbNyh6cr+MKm4LVodBF0FJV9gYe0y7SvvkbAt9vmOWz9kEHURZ5Jsc6B8miB8pYwQk90vr7yknfOspNMJ8IRHZgfyfGDurboHm8wgzCuI7ZZc9uUJYj bob";
  private static final CloudInit FULL = new CloudInit(
      "#cloud-config\npackages: [nginx]\n",
      List.of(KEY, RSA_KEY),
      "web-1.example.internal",
      "version: 2\nethernets:\n  eth0:\n    dhcp4: true\n");

  @TempDir Path dir;
  @TempDir Path scratch;

  private final SeedIso seedIso = new SeedIso();

  @BeforeAll
  static void needsXorriso() {
    assumeTrue(Iso.xorrisoInstalled(), "xorriso is not installed: apt-get install xorriso");
  }

  private List<String> dirListing() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesANoCloudSeedCloudInitCanRead() throws Exception {
    Path iso = seedIso.write(dir, "web-1", UUID, FULL);

    assertThat(iso).isEqualTo(dir.resolve("web-1-seed.iso"));
    assertThat(Iso.volumeId(iso)).isEqualTo("cidata");
    assertThat(Iso.files(iso)).containsExactlyInAnyOrder("meta-data", "user-data", "network-config");
    assertThat(yaml(Iso.read(iso, "meta-data", scratch))).containsExactly(
        Map.entry("instance-id", UUID),
        Map.entry("local-hostname", "web-1.example.internal"),
        Map.entry("public-keys", List.of(KEY, RSA_KEY)));
    assertThat(Iso.read(iso, "user-data", scratch)).isEqualTo(FULL.userData());
    assertThat(Iso.read(iso, "network-config", scratch)).isEqualTo(FULL.networkConfig());
    assertThat(dirListing()).containsExactly("web-1-seed.iso");
  }

  @Test
  void withoutCloudInitWritesDefaultsAndNoNetworkConfig() throws Exception {
    Path iso = seedIso.write(dir, "web-1", UUID, null);

    assertThat(Iso.files(iso)).containsExactlyInAnyOrder("meta-data", "user-data");
    assertThat(yaml(Iso.read(iso, "meta-data", scratch))).containsExactly(
        Map.entry("instance-id", UUID), Map.entry("local-hostname", "web-1"));
    assertThat(Iso.read(iso, "user-data", scratch)).isEqualTo("#cloud-config\n{}\n");
  }

  @Test
  void sameInputsGiveTheSameBytes() throws Exception {
    byte[] first = Files.readAllBytes(seedIso.write(dir, "web-1", UUID, FULL));
    // Past a second boundary: a date taken from the clock would now differ.
    Thread.sleep(1100);
    byte[] second = Files.readAllBytes(seedIso.write(dir, "web-1", UUID, FULL));
    assertThat(second).isEqualTo(first);
  }

  @Test
  void rewritingReplacesTheSeedAndLeavesNothingElse() throws Exception {
    seedIso.write(dir, "web-1", UUID, FULL);
    Path iso = seedIso.write(dir, "web-1", UUID, new CloudInit(null, null, "renamed", null));

    assertThat(yaml(Iso.read(iso, "meta-data", scratch)).get("local-hostname")).isEqualTo("renamed");
    assertThat(Iso.files(iso)).doesNotContain("network-config");
    assertThat(dirListing()).containsExactly("web-1-seed.iso");
  }

  @Test
  void keyCommentWithYamlSyntaxDoesNotInjectKeys() throws Exception {
    // Valid for the validator (one line, a real key): the comment is free text.
    String key = KEY.replace("alice@laptop", "x: y # z {a: b} [c] &d *e | > 'f' \"g\"");
    Path iso = seedIso.write(dir, "web-1", UUID, new CloudInit(null, List.of(key), null, null));

    Map<String, Object> meta = yaml(Iso.read(iso, "meta-data", scratch));
    assertThat(meta.keySet()).containsExactly("instance-id", "local-hostname", "public-keys");
    assertThat(meta.get("public-keys")).isEqualTo(List.of(key));
  }

  @Test
  void invalidCloudInitIsRefusedBeforeAnythingIsWritten() throws Exception {
    CloudInit hostile = new CloudInit(null, null, "web\npublic-keys: [evil]", null);
    assertThatThrownBy(() -> seedIso.write(dir, "web-1", UUID, hostile))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cloudInit.hostname");
    assertThat(dirListing()).isEmpty();
  }

  @Test
  void badNameOrUuidIsRefused() throws Exception {
    assertThatThrownBy(() -> seedIso.write(dir, "../etc", UUID, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a VM name");
    assertThatThrownBy(() -> seedIso.write(dir, "web-1", "instance-id: x", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a VM UUID");
    assertThat(dirListing()).isEmpty();
  }

  @Test
  void missingXorrisoSaysHowToInstallIt() throws Exception {
    SeedIso withoutXorriso = new SeedIso(dir.resolve("no-such-xorriso").toString());
    assertThatThrownBy(() -> withoutXorriso.write(dir, "web-1", UUID, FULL))
        .isInstanceOf(XorrisoMissingException.class)
        .hasMessageContaining("install xorriso (apt-get install xorriso)");
    assertThat(dirListing()).isEmpty();
  }

  @Test
  void deleteRemovesTheSeedAndLeftoversOfThatVmOnly() throws Exception {
    seedIso.write(dir, "web-1", UUID, FULL);
    seedIso.write(dir, "web-10", UUID, FULL);
    Files.createDirectory(dir.resolve(".web-1.seed-tmp-123"));
    Files.writeString(dir.resolve(".web-1.seed-tmp-123").resolve("meta-data"), "x");

    seedIso.delete(dir, "web-1");

    assertThat(dirListing()).containsExactly("web-10-seed.iso");
    seedIso.delete(dir, "web-1"); // nothing left: still fine
    assertThat(dirListing()).containsExactly("web-10-seed.iso");
  }
}
