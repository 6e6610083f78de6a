package io.novacron.host.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.cloudinit.CloudInit;
import io.novacron.workflows.host.Nic;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DomainResizeTest {
  private static final String UUID = "8433cecd-7afd-341e-bb37-29133e2af10b";

  /** As libvirt gives a definition back: KiB, a currentMemory, a vcpu with a smaller current. */
  private static final String LIBVIRT_XML = """
      <domain type='qemu'>
        <name>web1</name>
        <uuid>8433cecd-7afd-341e-bb37-29133e2af10b</uuid>
        <memory unit='KiB'>262144</memory>
        <currentMemory unit='KiB'>262144</currentMemory>
        <vcpu placement='static' current='1'>2</vcpu>
        <os><type arch='x86_64'>hvm</type></os>
      </domain>""";

  @Test
  void readsTheMaximumVcpusAndTheMemoryInMib() {
    assertThat(DomainResize.size(LIBVIRT_XML)).isEqualTo(new DomainResize.Size(2, 256));
  }

  @Test
  void setsVcpusAndBothMemoriesAndDropsTheSmallerCurrentCount() {
    String resized = DomainResize.resize(LIBVIRT_XML, 4, 1024);

    assertThat(DomainResize.size(resized)).isEqualTo(new DomainResize.Size(4, 1024));
    assertThat(XmlDocuments.text(resized, "currentMemory")).isEqualTo("1048576");
    assertThat(XmlDocuments.parse(resized).getDocumentElement().getElementsByTagName("vcpu").item(0)
        .getAttributes().getNamedItem("current")).isNull();
    assertThat(XmlDocuments.text(resized, "vcpu")).isEqualTo("4");
  }

  @Test
  void keepsTheRestOfTheDefinitionAndTheCloudInitMetadataMigrationNeeds() {
    CloudInit cloudInit = new CloudInit("#cloud-config\n{}\n", List.of(), "probe-host", null);
    String ours = new DomainXml("n", UUID, "qemu", "x86_64", 1, 64, "/d/n.qcow2", null, Path.of("/c/n.log"),
        List.of(new Nic("default", "52:54:0a:0b:0c:0d")), Path.of("/d/n-seed.iso"),
        CloudInitMetadata.toJson(cloudInit)).toXml();

    String resized = DomainResize.resize(ours, 2, 512);

    assertThat(DomainResize.size(resized)).isEqualTo(new DomainResize.Size(2, 512));
    assertThat(CloudInitMetadata.read(resized)).contains(cloudInit);
    assertThat(resized).contains("/d/n.qcow2").contains("52:54:0a:0b:0c:0d").contains("/d/n-seed.iso")
        .contains("/c/n.log");
  }
}
