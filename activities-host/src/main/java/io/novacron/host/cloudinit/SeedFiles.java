package io.novacron.host.cloudinit;

import io.novacron.workflows.cloudinit.CloudInit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The files of a NoCloud seed, as text. cloud-init's NoCloud datasource reads {@code meta-data}
 * for the instance id, the host name ({@code local-hostname}) and the SSH keys of the default user
 * ({@code public-keys}: {@code DataSource.get_public_ssh_keys()} returns
 * {@code metadata["public-keys"]}); {@code user-data} is the user's config or script;
 * {@code network-config} is optional.
 *
 * @param metaData the {@code meta-data} YAML
 * @param userData the {@code user-data} document
 * @param networkConfig the {@code network-config} YAML, or null for no such file
 */
public record SeedFiles(String metaData, String userData, String networkConfig) {
  /** What {@code user-data} holds when the request gives none: an empty cloud-config. */
  public static final String EMPTY_USER_DATA = "#cloud-config\n{}\n";

  /**
   * The seed for one VM. Pure: no check of the values, which {@code CloudInitValidator} did; the
   * meta-data is made by a YAML dumper, so whatever a value holds it stays that one value.
   *
   * @param vmName the VM's name: the host name where the request gives none
   * @param uuid the VM's libvirt UUID: the instance id, which changes when the VM is re-created
   * @param cloudInit what the request asks for; null for nothing
   */
  public static SeedFiles of(String vmName, String uuid, CloudInit cloudInit) {
    CloudInit c = cloudInit == null ? new CloudInit(null, null, null, null) : cloudInit;
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("instance-id", uuid);
    meta.put("local-hostname", c.hostnameOrNull() != null ? c.hostnameOrNull() : vmName);
    List<String> keys = c.sshKeysOrEmpty();
    if (!keys.isEmpty()) {
      meta.put("public-keys", keys);
    }
    String userData = c.userDataOrNull() != null ? c.userDataOrNull() : EMPTY_USER_DATA;
    return new SeedFiles(dumper().dump(meta), userData, c.networkConfigOrNull());
  }

  private static Yaml dumper() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    // One key per line, however long: a folded key would still parse, but nobody could grep it.
    options.setSplitLines(false);
    options.setWidth(Integer.MAX_VALUE);
    return new Yaml(new Representer(options), options);
  }
}
