package io.novacron.host.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.host.storage.BaseImage;
import java.io.StringReader;
import io.novacron.workflows.cloudinit.CloudInit;
import io.novacron.workflows.host.Nic;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

class DomainXmlTest {
  private static final String UUID = "8433cecd-7afd-341e-bb37-29133e2af10b";

  @Test
  void aKernelBootGuestUnderTcg() throws Exception {
    BaseImage tiny = new BaseImage("tiny", null, Path.of("/img/tiny/vmlinuz"), Path.of("/img/tiny/initrd.img"),
        "console=ttyS0 quiet", "novacron-guest: up");
    Document xml = parse(new DomainXml("web1", UUID, "qemu", "x86_64", 2, 256, "/d/web1.qcow2", tiny,
        Path.of("/c/web1.log")).toXml());
    XPath x = XPathFactory.newInstance().newXPath();

    assertThat(x.evaluate("/domain/@type", xml)).isEqualTo("qemu");
    assertThat(x.evaluate("/domain/name", xml)).isEqualTo("web1");
    assertThat(x.evaluate("/domain/uuid", xml)).isEqualTo(UUID);
    assertThat(x.evaluate("/domain/memory", xml)).isEqualTo("256");
    assertThat(x.evaluate("/domain/memory/@unit", xml)).isEqualTo("MiB");
    assertThat(x.evaluate("/domain/vcpu", xml)).isEqualTo("2");
    assertThat(x.evaluate("/domain/os/type/@arch", xml)).isEqualTo("x86_64");
    assertThat(x.evaluate("/domain/os/kernel", xml)).isEqualTo("/img/tiny/vmlinuz");
    assertThat(x.evaluate("/domain/os/initrd", xml)).isEqualTo("/img/tiny/initrd.img");
    assertThat(x.evaluate("/domain/os/cmdline", xml)).isEqualTo("console=ttyS0 quiet");
    assertThat(x.evaluate("count(/domain/os/boot)", xml)).isEqualTo("0");
    assertThat(x.evaluate("count(/domain/cpu)", xml)).as("no host-model CPU under TCG").isEqualTo("0");
    assertThat(x.evaluate("/domain/devices/disk/source/@file", xml)).isEqualTo("/d/web1.qcow2");
    assertThat(x.evaluate("/domain/devices/disk/driver/@type", xml)).isEqualTo("qcow2");
    assertThat(x.evaluate("/domain/devices/serial/@type", xml)).isEqualTo("file");
    assertThat(x.evaluate("/domain/devices/serial/source/@path", xml)).isEqualTo("/c/web1.log");
    assertThat(x.evaluate("/domain/devices/serial/source/@append", xml)).isEqualTo("on");
  }

  @Test
  void aDiskBootGuestUnderKvmGetsTheHostModelCpu() throws Exception {
    Document xml = parse(new DomainXml("db", UUID, "kvm", "x86_64", 4, 4096, "/d/db.qcow2", null,
        Path.of("/c/db.log")).toXml());
    XPath x = XPathFactory.newInstance().newXPath();
    assertThat(x.evaluate("/domain/@type", xml)).isEqualTo("kvm");
    assertThat(x.evaluate("/domain/os/boot/@dev", xml)).isEqualTo("hd");
    assertThat(x.evaluate("/domain/cpu/@mode", xml)).isEqualTo("host-model");
  }

  @Test
  void textFromFilesIsEscapedNotSpliced() throws Exception {
    BaseImage hostile = new BaseImage("x", null, Path.of("/k"), null,
        "console=ttyS0 </cmdline><devices><hostdev/></devices> & more", null);
    Document xml = parse(new DomainXml("x", UUID, "qemu", "x86_64", 1, 64, "/d/x'\".qcow2", hostile,
        Path.of("/c/x.log")).toXml());
    XPath x = XPathFactory.newInstance().newXPath();
    assertThat(x.evaluate("/domain/os/cmdline", xml))
        .isEqualTo("console=ttyS0 </cmdline><devices><hostdev/></devices> & more");
    assertThat(x.evaluate("count(//hostdev)", xml)).isEqualTo("0");
    assertThat(x.evaluate("/domain/devices/disk/source/@file", xml)).isEqualTo("/d/x'\".qcow2");
  }

  @Test
  void nicsGetTheirNetworkAndMacAndASeedIsAReadOnlyCdrom() throws Exception {
    Document xml = parse(new DomainXml("n", UUID, "qemu", "x86_64", 1, 64, "/d/n.qcow2", null, Path.of("/c/n.log"),
        List.of(new Nic("default", "52:54:0a:0b:0c:0d"), new Nic("lab", "52:54:01:02:03:04")),
        Path.of("/d/n-seed.iso"), null).toXml());
    XPath x = XPathFactory.newInstance().newXPath();
    assertThat(x.evaluate("count(/domain/devices/interface)", xml)).isEqualTo("2");
    assertThat(x.evaluate("/domain/devices/interface[1]/@type", xml)).isEqualTo("network");
    assertThat(x.evaluate("/domain/devices/interface[1]/source/@network", xml)).isEqualTo("default");
    assertThat(x.evaluate("/domain/devices/interface[1]/mac/@address", xml)).isEqualTo("52:54:0a:0b:0c:0d");
    assertThat(x.evaluate("/domain/devices/interface[2]/source/@network", xml)).isEqualTo("lab");
    assertThat(x.evaluate("/domain/devices/interface[2]/model/@type", xml)).isEqualTo("virtio");
    assertThat(x.evaluate("/domain/devices/channel/target/@name", xml)).isEqualTo("org.qemu.guest_agent.0");
    assertThat(x.evaluate("/domain/devices/disk[@device='cdrom']/source/@file", xml)).isEqualTo("/d/n-seed.iso");
    assertThat(x.evaluate("count(/domain/devices/disk[@device='cdrom']/readonly)", xml)).isEqualTo("1");
    assertThat(x.evaluate("/domain/devices/disk[@device='disk']/target/@dev", xml)).isEqualTo("vda");
  }

  @Test
  void theCloudInitInputsTravelInTheMetadataAndComeBackWhole() {
    CloudInit hostile = new CloudInit("#cloud-config\nruncmd: ['echo </novacron:cloud-init></metadata><devices/>']\n",
        List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE5HzMi+0Z/OBvZNgGuGPvmur6eNIVN7QMhE6FtzyyFB alice@laptop"), "web-1", null);
    String xml = new DomainXml("m", UUID, "qemu", "x86_64", 1, 64, "/d/m.qcow2", null, Path.of("/c/m.log"),
        List.of(), Path.of("/d/m-seed.iso"), CloudInitMetadata.toJson(hostile)).toXml();

    assertThat(CloudInitMetadata.read(xml)).contains(hostile);
    assertThat(CloudInitMetadata.read(new DomainXml("p", UUID, "qemu", "x86_64", 1, 64, "/d/p.qcow2", null,
        Path.of("/c/p.log")).toXml())).isEmpty();
  }

  @Test
  void aGuestWithoutNicsHasNoInterfaceNoChannelAndNoCdrom() throws Exception {
    Document xml = parse(new DomainXml("p", UUID, "qemu", "x86_64", 1, 64, "/d/p.qcow2", null,
        Path.of("/c/p.log")).toXml());
    XPath x = XPathFactory.newInstance().newXPath();
    assertThat(x.evaluate("count(//interface) + count(//channel) + count(//disk[@device='cdrom'])", xml))
        .isEqualTo("0");
  }

  private static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
  }
}
