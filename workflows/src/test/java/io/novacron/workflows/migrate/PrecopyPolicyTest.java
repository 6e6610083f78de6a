package io.novacron.workflows.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrecopyPolicyTest {
  private static final long MIB = 1L << 20;

  @Test
  void a_request_that_says_decides() {
    MigrationSource small = disk(MIB, true);
    MigrationSource large = disk(10 * 1024 * MIB, false);
    assertThat(PrecopyPolicy.precopy(true, small, 0)).isTrue();
    assertThat(PrecopyPolicy.precopy(false, large, 0)).isFalse();
  }

  @Test
  void a_small_disk_that_stands_alone_is_left_to_the_mirror() {
    assertThat(PrecopyPolicy.precopy(null, disk(MIB, true), 0)).isFalse();
    assertThat(PrecopyPolicy.precopy(null, disk(PrecopyPolicy.MIRROR_ONLY_MAX_BYTES, true), 0)).isFalse();
  }

  @Test
  void under_a_bandwidth_cap_even_a_small_disk_is_precopied() {
    // The capped mirror would pay for the disk's whole virtual size, holes included.
    assertThat(PrecopyPolicy.precopy(null, disk(MIB, true), 40)).isTrue();
  }

  @Test
  void a_disk_with_more_data_is_precopied() {
    assertThat(PrecopyPolicy.precopy(null, disk(PrecopyPolicy.MIRROR_ONLY_MAX_BYTES + 1, true), 0)).isTrue();
  }

  @Test
  void a_disk_on_a_base_image_is_precopied_however_little_its_top_holds() {
    // The mirror would send the flattened chain: the base image's data too.
    assertThat(PrecopyPolicy.precopy(null, disk(MIB, false), 0)).isTrue();
  }

  @Test
  void a_disk_the_agent_did_not_describe_is_precopied_as_before() {
    assertThat(PrecopyPolicy.precopy(null, new MigrationSource("vm", "u", "running", "<domain/>", "<cpu/>",
        "/d/vm.qcow2", 1L << 30, 128 * MIB), 0)).isTrue();
    assertThat(PrecopyPolicy.precopy(null, disk(null, true), 0)).isTrue();
    assertThat(PrecopyPolicy.precopy(null, new MigrationSource("vm", "u", "running", "<domain/>", "<cpu/>",
        "/d/vm.qcow2", 1L << 30, 128 * MIB, MIB, null), 0)).isTrue();
  }

  private static MigrationSource disk(Long allocated, boolean standsAlone) {
    return new MigrationSource("vm", "u", "running", "<domain/>", "<cpu/>", "/d/vm.qcow2", 1L << 30, 128 * MIB,
        allocated, standsAlone);
  }
}
