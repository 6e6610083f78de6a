package io.novacron.host.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostCapabilitiesTest {
  /** Trimmed from `virsh capabilities` on a TCG-only Debian 12 machine that still has /dev/kvm. */
  static final String QEMU_HOST = """
      <capabilities>
        <host>
          <uuid>1b4e28ba-2fa1-11d2-883f-0016d3cca427</uuid>
          <cpu><arch>x86_64</arch><model>Skylake-Client-IBRS</model><vendor>Intel</vendor></cpu>
        </host>
        <guest>
          <os_type>hvm</os_type>
          <arch name='i686'><domain type='qemu'/><domain type='kvm'/></arch>
        </guest>
        <guest>
          <os_type>hvm</os_type>
          <arch name='x86_64'><wordsize>64</wordsize><domain type='qemu'/><domain type='kvm'/></arch>
        </guest>
      </capabilities>
      """;

  static final String TEST_DRIVER = """
      <capabilities>
        <host><cpu><arch>i686</arch></cpu></host>
        <guest><os_type>hvm</os_type><arch name='i686'><domain type='test'/></arch></guest>
      </capabilities>
      """;

  @Test
  void readsTheHostCpuAndTheDomainTypesOfItsArchitecture() {
    HostCapabilities caps = HostCapabilities.parse(QEMU_HOST);
    assertThat(caps.arch()).isEqualTo("x86_64");
    assertThat(caps.cpuModel()).isEqualTo("Skylake-Client-IBRS");
    assertThat(caps.cpuVendor()).isEqualTo("Intel");
    assertThat(caps.domainTypes()).containsExactly("qemu", "kvm");
  }

  @Test
  void kvmOnlyWhereTheCpuCanRunIt() {
    HostCapabilities caps = HostCapabilities.parse(QEMU_HOST);
    assertThat(caps.domainType(true)).isEqualTo("kvm");
    assertThat(caps.domainType(false)).as("/dev/kvm without vmx/svm hangs guests").isEqualTo("qemu");
  }

  @Test
  void theTestDriverGetsItsOwnType() {
    HostCapabilities caps = HostCapabilities.parse(TEST_DRIVER);
    assertThat(caps.cpuModel()).isNull();
    assertThat(caps.domainType(true)).isEqualTo("test");
  }

  @Test
  void hardwareVirtualizationComesFromTheCpuFlags() {
    assertThat(HostCapabilities.hasHardwareVirtualization("flags\t: fpu vme sse vmx avx\n")).isTrue();
    assertThat(HostCapabilities.hasHardwareVirtualization("flags\t: fpu svm\n")).isTrue();
    assertThat(HostCapabilities.hasHardwareVirtualization("flags\t: fpu vme vmxx sse\n")).isFalse();
    assertThat(HostCapabilities.hasHardwareVirtualization("model name : vmx\n")).isFalse();
  }

  @Test
  void unreadableXmlIsAClearError() {
    assertThatThrownBy(() -> HostCapabilities.parse("<capabilities>"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unreadable libvirt capabilities");
  }
}
