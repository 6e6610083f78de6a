package io.novacron.cli;

import io.novacron.workflows.migrate.Compression;
import io.novacron.workflows.migrate.MigrationMode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code novacron vm ...}: the VMs of the fleet through {@code /api/v1/vms} and {@code /api/v1/migrations}. */
@Command(name = "vm", aliases = "vms", mixinStandardHelpOptions = true,
    description = "Create, list, power, resize, label, migrate and delete VMs.",
    subcommands = {NestedHelpCommand.class, VmCommands.Create.class, VmCommands.ListVms.class, VmCommands.Get.class,
        VmCommands.Start.class, VmCommands.Stop.class, VmCommands.Reboot.class, VmCommands.Delete.class,
        VmCommands.Resize.class, VmCommands.Label.class, VmCommands.Console.class, VmCommands.Migrate.class})
final class VmCommands {
  private VmCommands() {}

  static final String WATCH = "follow the run until it ends, with a live progress line (exit 0: it succeeded, 1: it failed)";

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create and boot a VM (a ProvisionVm run); prints the run id.")
  static final class Create extends ApiCommand {
    @Mixin LaunchKey launchKey;
    @Option(names = "--name", required = true, description = "the VM's name") String name;
    @Option(names = "--vcpus", required = true, paramLabel = "N", description = "virtual CPUs") Integer vcpus;
    @Option(names = "--memory-mib", required = true, paramLabel = "MIB", description = "memory in MiB") Long memoryMib;
    @Option(names = "--disk-gib", required = true, paramLabel = "GIB", description = "disk size in GiB") Long diskGib;
    @Option(names = "--image", description = "a registered base image (novacron image list)") String image;
    @Option(names = "--node", description = "the node to place it on (default: placement chooses)") String node;
    @Option(names = "--network", paramLabel = "NET[,NET]", description = "one virtio NIC per libvirt network")
    String network;
    @Option(names = "--hostname", paramLabel = "H", description = "cloud-init host name") String hostname;
    @Option(names = "--ssh-key-file", paramLabel = "FILE", description = "authorized_keys-style file for cloud-init")
    String sshKeyFile;
    @Option(names = "--user-data-file", paramLabel = "FILE", description = "a cloud-config file") String userDataFile;
    @Option(names = "--watch", description = WATCH) boolean watch;

    @Override
    int execute() throws IOException, InterruptedException {
      Map<String, String> options = new LinkedHashMap<>();
      options.put("name", name);
      options.put("vcpus", String.valueOf(vcpus));
      options.put("memory-mib", String.valueOf(memoryMib));
      options.put("disk-gib", String.valueOf(diskGib));
      putIfSet(options, "image", image);
      putIfSet(options, "node", node);
      putIfSet(options, "network", network);
      putIfSet(options, "hostname", hostname);
      putIfSet(options, "ssh-key-file", sshKeyFile);
      putIfSet(options, "user-data-file", userDataFile);
      Map<String, Object> body;
      try {
        body = VmCreateBody.from(options);
      } catch (VmCreateBody.BadOption e) {
        throw usage(e.getMessage());
      }
      return started(launch("/api/v1/vms", body, launchKey), watch);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List VMs: state, node, size, image.")
  static final class ListVms extends ApiCommand {
    @Option(names = "--label", paramLabel = "K=V", description = "only VMs with this label (repeatable: all of them)")
    List<String> labels;
    @Mixin Paging paging;

    @Override
    int execute() throws IOException, InterruptedException {
      Map<String, Object> filters = new LinkedHashMap<>();
      filters.put("label", labels);
      return list("/api/v1/vms", paging.query(filters), Views.VMS);
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "One VM: every field, sizes with units.")
  static final class Get extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "the VM") String vm;

    @Override
    int execute() throws IOException, InterruptedException {
      return get("/api/v1/vms/" + segment(vm), Views.VM_FIELDS);
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Boot a VM (a VmPower run).")
  static final class Start extends ApiCommand {
    @Mixin LaunchKey launchKey;
    @Parameters(paramLabel = "NAME", description = "the VM") String vm;
    @Option(names = "--watch", description = WATCH) boolean watch;

    @Override
    int execute() throws IOException, InterruptedException {
      return started(launch("/api/v1/vms/" + segment(vm) + "/start", Map.of(), launchKey), watch);
    }
  }

  /** stop and reboot: a shutdown with a grace period before the power goes off. */
  abstract static class GracefulPower extends ApiCommand {
    @Mixin LaunchKey launchKey;
    @Parameters(paramLabel = "NAME", description = "the VM") String vm;
    @Option(names = "--grace-seconds", paramLabel = "S",
        description = "seconds the guest gets to shut down before it is powered off (default 60; 0: at once)")
    Integer graceSeconds;
    @Option(names = "--watch", description = WATCH) boolean watch;

    abstract String action();

    @Override
    int execute() throws IOException, InterruptedException {
      if (graceSeconds != null && graceSeconds < 0) {
        throw usage("--grace-seconds must be 0 or more, was " + graceSeconds);
      }
      Map<String, Object> body = new LinkedHashMap<>();
      if (graceSeconds != null) {
        body.put("graceSeconds", graceSeconds);
      }
      return started(launch("/api/v1/vms/" + segment(vm) + "/" + action(), body, launchKey), watch);
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true,
      description = "Shut a VM down (a VmPower run), powering it off after the grace period.")
  static final class Stop extends GracefulPower {
    @Override
    String action() {
      return "stop";
    }
  }

  @Command(name = "reboot", mixinStandardHelpOptions = true,
      description = "Stop as vm stop does, then start and verify the guest.")
  static final class Reboot extends GracefulPower {
    @Override
    String action() {
      return "reboot";
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Power a VM off and remove its domain, disk, seed and console log (a DeleteVm run).")
  static final class Delete extends ApiCommand {
    @Mixin LaunchKey launchKey;
    @Parameters(paramLabel = "NAME", description = "the VM") String vm;
    @Option(names = "--watch", description = WATCH) boolean watch;

    @Override
    int execute() throws IOException, InterruptedException {
      return started(launchDelete("/api/v1/vms/" + segment(vm), launchKey), watch);
    }
  }

  @Command(name = "resize", mixinStandardHelpOptions = true,
      description = "Resize a stopped VM (a ResizeVm run): vCPUs, memory, and a disk that only grows.")
  static final class Resize extends ApiCommand {
    @Mixin LaunchKey launchKey;
    @Parameters(paramLabel = "NAME", description = "the VM") String vm;
    @Option(names = "--vcpus", paramLabel = "N", description = "virtual CPUs") Integer vcpus;
    @Option(names = "--memory-mib", paramLabel = "MIB", description = "memory in MiB") Long memoryMib;
    @Option(names = "--disk-gib", paramLabel = "GIB", description = "disk size in GiB (only grows)") Long diskGib;
    @Option(names = "--watch", description = WATCH) boolean watch;

    @Override
    int execute() throws IOException, InterruptedException {
      Map<String, Object> body = new LinkedHashMap<>();
      putIfSet(body, "vcpus", vcpus);
      putIfSet(body, "memoryMib", memoryMib);
      putIfSet(body, "diskGib", diskGib);
      if (body.isEmpty()) {
        throw usage("vm resize needs at least one of --vcpus, --memory-mib and --disk-gib");
      }
      return started(launch("/api/v1/vms/" + segment(vm) + "/resize", body, launchKey), watch);
    }
  }

  @Command(name = "label", mixinStandardHelpOptions = true,
      description = "Set labels (K=V) and remove them (K-), kubectl-style; prints the VM's labels.")
  static final class Label extends LabelCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "the VM") String vm;

    @Override
    String labelsPath() {
      return "/api/v1/vms/" + segment(vm) + "/labels";
    }
  }

  @Command(name = "console", mixinStandardHelpOptions = true,
      description = {"Print a VM's serial console log; --follow keeps printing new output, like tail -f, until Ctrl-C.",
          "Needs the operator role."})
  static final class Console extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "the VM") String vm;
    @Option(names = "--follow", description = "keep printing new output until Ctrl-C") boolean follow;
    @Option(names = "--tail-bytes", paramLabel = "N", description = "only the last N bytes") Long tailBytes;

    @Override
    int execute() throws IOException, InterruptedException {
      if (tailBytes != null && tailBytes < 1) {
        throw usage("vm console --tail-bytes must be a number of bytes above 0, was '" + tailBytes + "'");
      }
      return new ConsoleFollower(api(), out(), root().err(), pause -> Thread.sleep(pause.toMillis()))
          .print(vm, tailBytes == null ? 0 : tailBytes, follow);
    }
  }

  @Command(name = "migrate", mixinStandardHelpOptions = true,
      description = "Move a VM to another node (a MigrateVm run); prints the run id.")
  static final class Migrate extends ApiCommand {
    @Mixin LaunchKey launchKey;
    @Parameters(paramLabel = "NAME", description = "the VM") String vm;
    @Option(names = "--to", paramLabel = "NODE", description = "the target node (default: placement chooses)")
    String target;
    @Option(names = "--mode", paramLabel = "MODE", description = "live (default), warm or cold") MigrationMode mode;
    @Option(names = "--bandwidth-mib", paramLabel = "MIB_PER_S", description = "cap the stream (MiB/s)")
    Integer bandwidthMiBps;
    @Option(names = "--parallel-connections", paramLabel = "N", description = "parallel (multifd) connections")
    Integer parallelConnections;
    @Option(names = "--compression", paramLabel = "C", description = "none, mt or xbzrle") Compression compression;
    @Option(names = "--auto-converge", description = "throttle the guest's vCPUs when memory does not converge")
    Boolean autoConverge;
    @Option(names = "--post-copy", description = "allow a switch to post-copy") Boolean postCopy;
    @Option(names = "--max-downtime-ms", paramLabel = "MS", description = "the longest pause the switch-over may cost")
    Integer maxDowntimeMs;
    @Option(names = "--watch", description = WATCH) boolean watch;

    @Override
    int execute() throws IOException, InterruptedException {
      Map<String, Object> options = new LinkedHashMap<>();
      putIfSet(options, "bandwidthMiBps", bandwidthMiBps);
      putIfSet(options, "parallelConnections", parallelConnections);
      putIfSet(options, "compression", compression);
      putIfSet(options, "autoConverge", autoConverge);
      putIfSet(options, "postCopy", postCopy);
      putIfSet(options, "maxDowntimeMs", maxDowntimeMs);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("vmName", vm);
      putIfSet(body, "targetNode", target);
      putIfSet(body, "mode", mode);
      if (!options.isEmpty()) {
        body.put("options", options);
      }
      return started(launch("/api/v1/migrations", body, launchKey), watch);
    }
  }

  static <V> void putIfSet(Map<String, ? super V> map, String key, V value) {
    if (value != null) {
      map.put(key, value);
    }
  }
}
