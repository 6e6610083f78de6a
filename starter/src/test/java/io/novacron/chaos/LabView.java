package io.novacron.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainJobStats;
import org.libvirt.LibvirtException;
import org.libvirt.TypedParameter;

/**
 * What the lab's nodes hold of a VM, read the way an operator would check: {@code virsh} (a process
 * of its own) for the verdicts, and libvirt's job statistics through a connection of its own for
 * the 20 ms watch that times a fault to a point of the migration. Knows nothing of NovaCron's code.
 */
final class LabView implements AutoCloseable {
  private static final Pattern HEARTBEAT = Pattern.compile("novacron-guest: heartbeat (\\d+)");

  /** What a node may hold of a VM besides its domain, {@code %s} standing for the VM's name. */
  private static final List<String> FILES = List.of("disks/%s.qcow2", "disks/%s.precopy.qcow2",
      "disks/%s-seed.iso", "consoles/%s.log", "states/%s.save");

  private final ChaosStack stack;
  private final List<Connection> connections = new ArrayList<>();

  LabView(ChaosStack stack) {
    this.stack = stack;
    connections.add(new Connection(stack.labUri("lab-a")));
    connections.add(new Connection(stack.labUri("lab-b")));
  }

  /** {@code virsh domstate}: running, paused, shut off, ... or absent. */
  String domstate(String node, String vm) throws Exception {
    ChaosStack.Result r = stack.run(Duration.ofSeconds(30), "virsh", "-c", stack.labUri(node), "domstate", vm);
    return r.exitCode() != 0 ? "absent" : r.output().strip();
  }

  /** {@code virsh dumpxml}: the domain's live XML on that node. */
  String dumpXml(String node, String vm) throws Exception {
    ChaosStack.Result r = stack.run(Duration.ofSeconds(30), "virsh", "-c", stack.labUri(node), "dumpxml", vm);
    if (r.exitCode() != 0) {
      throw new IllegalStateException("virsh dumpxml " + vm + " on " + node + ": " + r.output());
    }
    return r.output();
  }

  /** The nodes on which virsh says the VM is running. */
  List<String> runningOn(String vm) throws Exception {
    List<String> running = new ArrayList<>();
    for (String node : List.of("lab-a", "lab-b")) {
      if ("running".equals(domstate(node, vm))) {
        running.add(node);
      }
    }
    return running;
  }

  /** What the node still holds of the VM: its domain (any state) and files. */
  List<String> traces(String node, String vm) throws Exception {
    List<String> traces = new ArrayList<>();
    String state = domstate(node, vm);
    if (!"absent".equals(state)) {
      traces.add("domain (" + state + ")");
    }
    Path dir = stack.nodeData(node);
    for (String file : FILES) {
      if (Files.exists(dir.resolve(file.replace("%s", vm)))) {
        traces.add(file.replace("%s", vm));
      }
    }
    return traces;
  }

  /**
   * Removes every trace of the VM from both nodes with virsh and rm, as an operator clearing up by
   * hand would (a case that broke its guest, a provisioned VM the next case does not need).
   */
  void wipe(String vm) throws Exception {
    for (String node : List.of("lab-a", "lab-b")) {
      stack.run(Duration.ofSeconds(30), "virsh", "-c", stack.labUri(node), "destroy", vm);
      stack.run(Duration.ofSeconds(30), "virsh", "-c", stack.labUri(node), "undefine", vm);
      for (String file : FILES) {
        Files.deleteIfExists(stack.nodeData(node).resolve(file.replace("%s", vm)));
      }
      stack.run(Duration.ofSeconds(30), "virsh", "-c", stack.labUri(node), "pool-refresh", "novacron-" + node);
    }
  }

  Path disk(String node, String vm) {
    return stack.nodeData(node).resolve("disks/" + vm + ".qcow2");
  }

  Path overlay(String node, String vm) {
    return stack.nodeData(node).resolve("disks/" + vm + ".precopy.qcow2");
  }

  /** The last heartbeat number on the node's console of the VM; -1 when none. */
  long lastHeartbeat(String node, String vm) throws Exception {
    String console = console(node, vm);
    Matcher m = HEARTBEAT.matcher(console);
    long last = -1;
    while (m.find()) {
      last = Long.parseLong(m.group(1));
    }
    return last;
  }

  /** How many times the guest booted on that node's console. */
  int boots(String node, String vm) throws Exception {
    String console = console(node, vm);
    int boots = 0;
    for (int i = console.indexOf("novacron-guest: up"); i >= 0; i = console.indexOf("novacron-guest: up", i + 1)) {
      boots++;
    }
    return boots;
  }

  private String console(String node, String vm) throws Exception {
    Path log = stack.nodeData(node).resolve("consoles/" + vm + ".log");
    return Files.exists(log) ? Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
  }

  /**
   * libvirt's outgoing job for the VM on the node: its data processed and total, or null when no
   * job runs (or the node's libvirtd does not answer).
   */
  long[] job(String node, String vm) {
    Connection c = connections.get(node.equals("lab-a") ? 0 : 1);
    try {
      Domain domain = c.connect().domainLookupByName(vm);
      DomainJobStats stats = domain.getJobStats(0);
      if (stats.type != 1 && stats.type != 2) {
        return null;
      }
      long processed = -1;
      long total = -1;
      for (TypedParameter p : stats.stats) {
        if ("data_processed".equals(p.field)) {
          processed = Long.parseLong(p.getValueAsString());
        } else if ("data_total".equals(p.field)) {
          total = Long.parseLong(p.getValueAsString());
        }
      }
      return new long[] {processed, total};
    } catch (LibvirtException e) {
      c.resetIfDead(); // no such domain (it left) is an answer; a dead daemon is not
      return null;
    }
  }

  @Override
  public void close() {
    connections.forEach(Connection::reset);
  }

  /** One connection per node, reopened after its libvirtd was killed. */
  private static final class Connection {
    private final String uri;
    private Connect connect;

    Connection(String uri) {
      this.uri = uri;
    }

    synchronized Connect connect() throws LibvirtException {
      if (connect == null) {
        connect = new Connect(uri);
      }
      return connect;
    }

    synchronized void resetIfDead() {
      try {
        if (connect != null && connect.isAlive()) {
          return;
        }
      } catch (LibvirtException dead) {
        // reset below
      }
      reset();
    }

    synchronized void reset() {
      if (connect != null) {
        try {
          connect.close();
        } catch (LibvirtException ignored) {
          // dropping a broken connection
        }
        connect = null;
      }
    }
  }
}
