package io.novacron.control.vm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NetworkSummaryTest {
  @Test
  void eachNicShowsItsNetworkAndTheAddressesOfItsMac() {
    String nics = "[{\"network\":\"lab\",\"mac\":\"52:54:00:00:00:01\"},{\"network\":\"default\",\"mac\":\"52:54:00:00:00:02\"}]";
    String addresses = "[{\"mac\":\"52:54:00:00:00:01\",\"ip\":\"10.77.0.120\",\"source\":\"agent\"},"
        + "{\"mac\":\"52:54:00:00:00:01\",\"ip\":\"fd00::5\",\"source\":\"agent\"}]";
    assertThat(NetworkSummary.of(nics, addresses)).isEqualTo("lab 10.77.0.120 fd00::5, default ?");
  }

  @Test
  void theVmPageGetsEachNicWithItsMacAndAddresses() {
    String nics = "[{\"network\":\"lab\",\"mac\":\"52:54:00:00:00:01\"},{\"network\":\"default\",\"mac\":\"52:54:00:00:00:02\"}]";
    String addresses = "[{\"mac\":\"52:54:00:00:00:01\",\"ip\":\"10.77.0.120\",\"source\":\"lease\"}]";
    assertThat(NetworkSummary.nics(nics, addresses)).containsExactly(
        new NetworkSummary.Nic("lab", "52:54:00:00:00:01", java.util.List.of("10.77.0.120")),
        new NetworkSummary.Nic("default", "52:54:00:00:00:02", java.util.List.of()));
    assertThat(NetworkSummary.nics("not json", null)).isEmpty();
  }

  @Test
  void aVmWithoutNicsOrWithBrokenJsonShowsNothing() {
    assertThat(NetworkSummary.of(null, null)).isEmpty();
    assertThat(NetworkSummary.of("not json", "[]")).isEmpty();
  }
}
