package io.novacron.host.cloudinit;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.cloudinit.CloudInit;
import io.novacron.workflows.cloudinit.SafeYaml;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeedFilesTest {
  static final String UUID = "4b9f1d1e-8f53-4c1e-9a57-3c2d1f0e9b7a";
  static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE5HzMi+0Z/OBvZNgGuGPvmur6eNIVN7QMhE6FtzyyFB alice@laptop";

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(String text) {
    return (Map<String, Object>) SafeYaml.load(text, 1 << 20);
  }

  @Test
  void metaDataCarriesInstanceIdHostnameAndKeys() {
    SeedFiles files = SeedFiles.of("web-1", UUID,
        new CloudInit("#cloud-config\npackages: [nginx]\n", List.of(KEY + "\n"), "web-1.example.internal",
            "version: 2\n"));
    assertThat(yaml(files.metaData())).containsExactly(
        Map.entry("instance-id", UUID),
        Map.entry("local-hostname", "web-1.example.internal"),
        Map.entry("public-keys", List.of(KEY)));
    assertThat(files.userData()).isEqualTo("#cloud-config\npackages: [nginx]\n");
    assertThat(files.networkConfig()).isEqualTo("version: 2\n");
  }

  @Test
  void withoutCloudInitTheVmNameIsTheHostnameAndUserDataIsEmpty() {
    SeedFiles files = SeedFiles.of("web-1", UUID, null);
    assertThat(yaml(files.metaData())).containsExactly(
        Map.entry("instance-id", UUID), Map.entry("local-hostname", "web-1"));
    assertThat(files.userData()).isEqualTo("#cloud-config\n{}\n");
    assertThat(yaml(files.userData())).isEmpty();
    assertThat(files.networkConfig()).isNull();
  }

  @Test
  void longKeyStaysOnOneLine() {
    String longKey = KEY + " " + "c".repeat(500);
    String metaData = SeedFiles.of("web-1", UUID, new CloudInit(null, List.of(longKey), null, null)).metaData();
    assertThat(metaData.lines()).anySatisfy(line -> assertThat(line).endsWith("c".repeat(500)));
  }

  @Test
  void hostileValuesStayValues() {
    // SeedFiles does not validate: even values the validator refuses must not become YAML keys.
    String hostname = "web\npublic-keys: [ssh-rsa EVIL]\ninstance-id: other";
    String key = "ssh-ed25519 AAAA x: y\n- ssh-rsa EVIL\n\"quoted\" # not a comment";
    SeedFiles files = SeedFiles.of("web-1", UUID, new CloudInit(null, List.of(key), hostname, null));
    Map<String, Object> meta = yaml(files.metaData());
    assertThat(meta.keySet()).containsExactly("instance-id", "local-hostname", "public-keys");
    assertThat(meta.get("instance-id")).isEqualTo(UUID);
    assertThat(meta.get("local-hostname")).isEqualTo(hostname);
    assertThat(meta.get("public-keys")).isEqualTo(List.of(key));
  }
}
