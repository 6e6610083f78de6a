package io.novacron.host;

import io.novacron.host.migrate.MigrationTransport;
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
 *     {@code qemu+tls://<hostname>/system} with {@code migrationTls}, else {@code qemu+tcp://<hostname>/system}
 * @param migrationTls whether this node's outgoing live migrations encrypt QEMU's stream (libvirt's
 *     TLS flag): {@code --migration-tls} / {@code NOVACRON_MIGRATION_TLS} ({@code true} or
 *     {@code false}, default {@code false}); needs the libvirt and QEMU certificates on every node
 */
public record HostAgentConfig(
    String node, String temporalTarget, String namespace, String libvirtUri, Path dataDir,
    int announceIntervalSeconds, String migrationUri, boolean migrationTls) {

  public static HostAgentConfig from(String[] args, Map<String, String> env) {
    AgentOptions options = AgentOptions.parse(args, env);
    boolean tls = flag(options.get("migration-tls", "false"));
    return new HostAgentConfig(
        options.node(),
        options.temporalTarget(),
        options.namespace(),
        options.get("libvirt-uri", "qemu:///system"),
        Path.of(options.get("data-dir", "/var/lib/novacron/node")),
        options.seconds("announce-interval", 15),
        options.get("migration-uri", MigrationTransport.defaultUri(hostname(), tls)),
        tls);
  }

  /** The transport of this node's live migrations. */
  public MigrationTransport migrationTransport() {
    return new MigrationTransport(migrationUri, migrationTls);
  }

  private static boolean flag(String value) {
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("migration-tls is '" + value + "': set --migration-tls or"
          + " NOVACRON_MIGRATION_TLS to true or false");
    };
  }

  private static String hostname() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }
}
