package io.novacron.host.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DomainXmlRewriterTest {
  private static final String SOURCE = """
      <domain type='qemu'>
        <name>web1</name>
        <os>
          <type arch='x86_64'>hvm</type>
          <kernel>/lab/a/node/images/tiny/vmlinuz</kernel>
          <initrd>/lab/a/node/images/tiny/initrd.img</initrd>
          <cmdline>console=ttyS0</cmdline>
        </os>
        <devices>
          <disk type='file' device='disk'>
            <driver name='qemu' type='qcow2'/>
            <source file='/lab/a/node/disks/web1.qcow2'/>
            <target dev='vda' bus='virtio'/>
          </disk>
          <disk type='file' device='cdrom'>
            <source file='/isos/tools.iso'/>
            <target dev='sda' bus='sata'/>
          </disk>
          <serial type='file'>
            <source path='/lab/a/node/consoles/web1.log' append='on'/>
            <target port='0'/>
          </serial>
        </devices>
      </domain>
      """;

  @Test
  void the_cloud_init_seed_points_at_the_targets_own_copy_when_it_has_one() {
    String xml = DomainXmlRewriter.rewrite(SOURCE, "/lab/b/node/disks/web1.qcow2", null, p -> p,
        "/lab/b/node/disks/web1-seed.iso");

    assertThat(xml).contains("<source file=\"/lab/b/node/disks/web1-seed.iso\"/>")
        .doesNotContain("/isos/tools.iso");
  }

  @Test
  void the_target_gets_its_own_disk_console_and_boot_files() {
    String xml = DomainXmlRewriter.rewrite(SOURCE, "/lab/b/node/disks/web1.qcow2",
        "/lab/b/node/consoles/web1.log", p -> p.replace("/lab/a/", "/lab/b/"));

    assertThat(xml).contains("<source file=\"/lab/b/node/disks/web1.qcow2\"/>")
        .contains("/lab/b/node/consoles/web1.log")
        .contains("append=\"on\"")
        .contains("<kernel>/lab/b/node/images/tiny/vmlinuz</kernel>")
        .contains("<initrd>/lab/b/node/images/tiny/initrd.img</initrd>")
        .doesNotContain("/lab/a/");
  }

  @Test
  void disks_other_than_the_root_disk_stay_as_they_are() {
    String xml = DomainXmlRewriter.rewrite(SOURCE, "/b/web1.qcow2", null, p -> p);
    assertThat(xml).contains("/isos/tools.iso").contains("/lab/a/node/consoles/web1.log");
  }

  /** The source's live XML while its guest writes to a pre-copy overlay. */
  private static final String FROZEN = SOURCE.replace(
      "<source file='/lab/a/node/disks/web1.qcow2'/>",
      "<source file='/lab/a/node/disks/web1.precopy.qcow2' index='2'/>"
          + "<backingStore type='file' index='1'><format type='qcow2'/>"
          + "<source file='/lab/a/node/disks/web1.qcow2'/><backingStore/></backingStore>");

  @Test
  void a_frozen_disk_names_its_overlay_and_the_disk_below() {
    assertThat(DomainXmlRewriter.diskSource(FROZEN, "vda")).isEqualTo("/lab/a/node/disks/web1.precopy.qcow2");
    assertThat(DomainXmlRewriter.backingSource(FROZEN, "vda")).isEqualTo("/lab/a/node/disks/web1.qcow2");
    assertThat(DomainXmlRewriter.backingSource(SOURCE, "vda")).isNull();
  }

  @Test
  void the_targets_root_disk_drops_the_sources_backing_chain() {
    String xml = DomainXmlRewriter.rewrite(FROZEN, "/lab/b/node/disks/web1.precopy.qcow2", null,
        p -> p.replace("/lab/a/", "/lab/b/"));

    assertThat(DomainXmlRewriter.diskSource(xml, "vda")).isEqualTo("/lab/b/node/disks/web1.precopy.qcow2");
    // The target's libvirt reads its chain from the image headers: no source path survives.
    assertThat(xml).doesNotContain("backingStore").doesNotContain("/lab/a/node/disks");
  }

  @Test
  void reads_the_root_disk_and_the_host_cpu() {
    assertThat(DomainXmlRewriter.diskSource(SOURCE, "vda")).isEqualTo("/lab/a/node/disks/web1.qcow2");
    assertThat(DomainXmlRewriter.diskSource(SOURCE, "vdb")).isNull();
    String caps = "<capabilities><host><uuid>x</uuid><cpu><arch>x86_64</arch><model>Skylake</model>"
        + "</cpu></host><guest><arch name='x86_64'><cpu/></arch></guest></capabilities>";
    assertThat(DomainXmlRewriter.hostCpu(caps)).isEqualTo("<cpu><arch>x86_64</arch><model>Skylake</model></cpu>");
  }
}
