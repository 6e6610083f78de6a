package io.novacron.host;

import io.novacron.runtime.AgentOptions;
import java.nio.file.Path;
import java.util.Map;

/**
 * Settings of a host agent, from {@code --key=value} arguments or {@code NOVACRON_*} environment
 * variables (arguments win).
 *
 * @param node node name: {@code --node} / {@code NOVACRON_NODE}
 * @param temporalTarget Temporal gRPC target: {@code --temporal} / {@code NOVACRON_TEMPORAL}
 * @param namespace Temporal namespace: {@code --namespace} / {@code NOVACRON_NAMESPACE}
 * @param libvirtUri libvirt URI: {@code --libvirt-uri} / {@code NOVACRON_LIBVIRT_URI}
 * @param dataDir the agent's data directory (disks/, images/, consoles/): {@code --data-dir} /
 *     {@code NOVACRON_DATA_DIR}
 * @param announceIntervalSeconds {@code --announce-interval} / {@code NOVACRON_ANNOUNCE_INTERVAL}
 * @param migrationUri the URI other nodes' libvirt daemons reach this node's daemon at for
 *     peer-to-peer migration: {@code --migration-uri} / {@code NOVACRON_MIGRATION_URI}; default
 *     {@code qemu+tcp://<hostname>/system}
 */
public record HostAgentConfig(
    String node, String temporalTarget, String namespace, String libvirtUri, Path dataDir,
    int announceIntervalSeconds, String migrationUri) {

  public static HostAgentConfig from(String[] args, Map<String, String> env) {
    AgentOptions options = AgentOptions.parse(args, env);
    return new HostAgentConfig(
        options.node(),
        options.temporalTarget(),
        options.namespace(),
        options.get("libvirt-uri", "qemu:///system"),
        Path.of(options.get("data-dir", "/var/lib/novacron/node")),
        options.seconds("announce-interval", 15),
        options.get("migration-uri", "qemu+tcp://" + hostname() + "/system"));
  }

  private static String hostname() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }
}
