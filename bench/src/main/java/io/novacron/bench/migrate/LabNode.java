package io.novacron.bench.migrate;

import io.novacron.host.HostActivitiesImpl;
import io.novacron.host.NodeIdentity;
import io.novacron.host.libvirt.LibvirtSession;
import io.novacron.host.migrate.MigrationActivitiesImpl;
import io.novacron.host.migrate.MigrationTransport;
import io.novacron.host.storage.DiskStore;
import io.novacron.host.storage.ImageLibrary;
import io.novacron.transfer.TransferConfig;
import io.novacron.transfer.TransferNode;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * One node of the lab ({@code starter/scripts/lab.sh}) with its host agent's activities built in
 * this JVM, as the agent builds them: a libvirt session on the node's private daemon (its unix
 * socket under the lab directory), disks, images, consoles and saved states under
 * {@code <lab>/<letter>/node}, and the host and migration activities on top. The one set-up of
 * {@code novacron bench migrate} ({@link BenchLab}) and the lab ITs; what differs between them is
 * an {@link AgentSetup}, not a copy.
 *
 * @param letter the node's letter in the lab: {@code a} or {@code b}
 * @param name the node's name, {@code lab-<letter>}
 * @param ip the node's address on the lab's veth
 * @param uri how this JVM reaches the node's daemon
 * @param data the agent's data directory
 * @param setup how the agent is set up
 * @param transfers the node's transfer engine, listening on a loopback port of its own; null where
 *     the set-up starts none
 */
record LabNode(String letter, String name, String ip, String uri, Path data, AgentSetup setup,
    LibvirtSession libvirt, HostActivitiesImpl host, MigrationActivitiesImpl migration, TransferNode transfers)
    implements AutoCloseable {

  /**
   * How a lab node's agent is set up, where the lab's users differ.
   *
   * @param migrationTls the agent runs with {@code NOVACRON_MIGRATION_TLS=true}: targets offer
   *     {@code qemu+tls://<ip>/system} and the source starts QEMU's stream with libvirt's TLS flag;
   *     otherwise {@code qemu+tcp://<ip>/system}, plain
   * @param transferEngine start the node's transfer engine (warm and cold moves, the disk pre-copy)
   */
  record AgentSetup(boolean migrationTls, boolean transferEngine) {
    /** The benchmark's and LabMigrationIT's agents: plain TCP, transfer engine on. */
    static final AgentSetup PLAIN = new AgentSetup(false, true);
    /** LabTlsMigrationIT's agents: migration over TLS; live moves only, so no transfer engine. */
    static final AgentSetup TLS = new AgentSetup(true, false);

    /** How the agent of the node at {@code ip} migrates: its setting's default URI for that address. */
    MigrationTransport transport(String ip) {
      return new MigrationTransport(MigrationTransport.defaultUri(ip, migrationTls), migrationTls);
    }
  }

  /** The lab's directory, as lab.sh has it: {@code NOVACRON_LAB_DIR}, else {@code /var/lib/novacron/lab}. */
  static Path labDirectory() {
    return Path.of(System.getenv().getOrDefault("NOVACRON_LAB_DIR", "/var/lib/novacron/lab"));
  }

  /** The node's address on the lab's veth, as lab.sh assigns them. */
  static String ip(String letter) {
    return switch (letter) {
      case "a" -> "10.77.0.1";
      case "b" -> "10.77.0.2";
      default -> throw new IllegalArgumentException("lab node: a or b, got " + letter);
    };
  }

  /** Opens node {@code letter} of the lab in {@code lab}; the lab must be up. */
  static LabNode open(Path lab, String letter, AgentSetup setup) throws IOException {
    String name = "lab-" + letter;
    String ip = ip(letter);
    String uri = "qemu+unix:///system?socket=" + lab.resolve(letter + "/run/libvirt/libvirt-sock");
    Path data = lab.resolve(letter + "/node");
    LibvirtSession libvirt = new LibvirtSession(uri);
    NodeIdentity identity = identity(name);
    DiskStore disks = new DiskStore(libvirt, name, data.resolve("disks"));
    ImageLibrary images = new ImageLibrary(data.resolve("images"));
    // Both nodes' engines listen on loopback, on ports of their own: their agents run in this JVM.
    TransferNode transfers =
        setup.transferEngine() ? TransferNode.start(new TransferConfig(data, "127.0.0.1", 0, secret())) : null;
    return new LabNode(letter, name, ip, uri, data, setup, libvirt,
        new HostActivitiesImpl(libvirt, disks, images, identity, data.resolve("consoles"), Clock.systemUTC()),
        migrationActivities(libvirt, disks, images, identity, data, setup.transport(ip)),
        transfers);
  }

  /**
   * This node's migration activities built afresh on its libvirt session, as its agent builds them
   * after a restart: they know of a running migration job only what libvirt knows.
   */
  MigrationActivitiesImpl restartedMigration() {
    return migrationActivities(libvirt, new DiskStore(libvirt, name, data.resolve("disks")),
        new ImageLibrary(data.resolve("images")), identity(name), data, setup.transport(ip));
  }

  private static NodeIdentity identity(String name) {
    return new NodeIdentity(name, "x86_64", "qemu");
  }

  private static MigrationActivitiesImpl migrationActivities(LibvirtSession libvirt, DiskStore disks,
      ImageLibrary images, NodeIdentity identity, Path data, MigrationTransport transport) {
    return new MigrationActivitiesImpl(libvirt, disks, images, identity, data.resolve("consoles"),
        data.resolve("states"), transport, Clock.systemUTC());
  }

  private static byte[] secret() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return secret;
  }

  /** The console log of guest {@code vm} on this node. */
  Path console(String vm) {
    return data.resolve("consoles/" + vm + ".log");
  }

  /** Stops the transfer engine (if any) and closes the libvirt session; the daemon stays up. */
  @Override
  public void close() {
    if (transfers != null) {
      transfers.close();
    }
    libvirt.close();
  }
}
