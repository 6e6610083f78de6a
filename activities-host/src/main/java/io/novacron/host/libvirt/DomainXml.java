package io.novacron.host.libvirt;

import io.novacron.host.storage.BaseImage;
import io.novacron.workflows.host.Nic;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds the domain XML of a NovaCron VM.
 *
 * @param name domain name
 * @param uuid domain UUID
 * @param domainType {@code kvm}, {@code qemu} or {@code test}
 * @param arch guest architecture (the host's)
 * @param vcpus virtual CPUs
 * @param memoryMib memory
 * @param diskPath root disk (qcow2)
 * @param image base image whose boot settings apply, or null
 * @param consoleLog file the serial console writes to
 * @param nics virtio network interfaces on libvirt networks, in order; empty for none
 * @param seedIso a cloud-init NoCloud seed to attach as a read-only CD-ROM, or null
 * @param seedSource what the seed was made from, as JSON ({@link CloudInitMetadata}), kept in the
 *     domain's metadata so that the node a migration moves the VM to makes the same seed; null
 *     for none
 */
public record DomainXml(
    String name,
    String uuid,
    String domainType,
    String arch,
    int vcpus,
    long memoryMib,
    String diskPath,
    BaseImage image,
    Path consoleLog,
    List<Nic> nics,
    Path seedIso,
    String seedSource) {

  /** A domain without network interfaces or seed. */
  public DomainXml(String name, String uuid, String domainType, String arch, int vcpus, long memoryMib,
      String diskPath, BaseImage image, Path consoleLog) {
    this(name, uuid, domainType, arch, vcpus, memoryMib, diskPath, image, consoleLog, List.of(), null, null);
  }

  public String toXml() {
    return XmlDocuments.write(xml -> xml.element("domain", d -> {
      d.text("name", name);
      d.text("uuid", uuid);
      d.text("memory", memoryMib, "unit", "MiB");
      d.text("vcpu", vcpus);
      if (seedSource != null) {
        d.element("metadata", metadata -> metadata.text(CloudInitMetadata.ELEMENT, seedSource,
            "xmlns:" + CloudInitMetadata.PREFIX, CloudInitMetadata.NAMESPACE));
      }
      d.element("os", os -> {
        os.text("type", "hvm", "arch", arch);
        if (image != null && image.bootsKernelDirectly()) {
          os.text("kernel", image.kernel());
          if (image.initrd() != null) {
            os.text("initrd", image.initrd());
          }
          if (image.cmdline() != null) {
            os.text("cmdline", image.cmdline());
          }
        } else {
          os.empty("boot", "dev", "hd");
        }
      });
      d.element("features", f -> f.empty("acpi"));
      if ("kvm".equals(domainType)) {
        // A named model the whole fleet shares would migrate more widely; host-model is the
        // libvirt default that still lets guests migrate between hosts of one CPU generation.
        d.empty("cpu", "mode", "host-model");
      }
      d.empty("clock", "offset", "utc");
      d.text("on_poweroff", "destroy");
      d.text("on_reboot", "restart");
      d.text("on_crash", "destroy");
      d.element("devices", dev -> {
        dev.element("disk", disk -> {
          disk.empty("driver", "name", "qemu", "type", "qcow2");
          disk.empty("source", "file", diskPath);
          disk.empty("target", "dev", "vda", "bus", "virtio");
        }, "type", "file", "device", "disk");
        if (seedIso != null) {
          // SATA, not virtio: every guest kernel and firmware reads a SATA CD-ROM without a driver.
          dev.element("disk", cdrom -> {
            cdrom.empty("driver", "name", "qemu", "type", "raw");
            cdrom.empty("source", "file", seedIso.toString());
            cdrom.empty("target", "dev", "sda", "bus", "sata");
            cdrom.empty("readonly");
          }, "type", "file", "device", "cdrom");
        }
        for (Nic nic : nics) {
          dev.element("interface", iface -> {
            iface.empty("source", "network", nic.network());
            iface.empty("mac", "address", nic.mac());
            iface.empty("model", "type", "virtio");
          }, "type", "network");
        }
        if (!nics.isEmpty()) {
          // The guest agent's channel, where the image runs one: libvirt reads the guest's IP
          // addresses through it when no DHCP lease of its own knows them.
          dev.element("channel", channel -> {
            channel.empty("source", "mode", "bind");
            channel.empty("target", "type", "virtio", "name", "org.qemu.guest_agent.0");
          }, "type", "unix");
        }
        dev.element("serial", serial -> {
          // append: a restarted or migrated guest adds to its log instead of wiping its history.
          serial.empty("source", "path", consoleLog.toString(), "append", "on");
          serial.empty("target", "port", "0");
        }, "type", "file");
        dev.empty("memballoon", "model", "none");
      });
    }, "type", domainType));
  }
}
