package io.novacron.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.transfer.TransferTlsSettings.Mode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransferTlsSettingsTest {
  static final Map<String, String> FILES = Map.of(
      "NOVACRON_TRANSFER_TLS_CERT", "/etc/novacron/tls/node-a.pem",
      "NOVACRON_TRANSFER_TLS_KEY", "/etc/novacron/tls/node-a.key",
      "NOVACRON_TRANSFER_TLS_CA", "/etc/novacron/tls/ca.pem");

  @Test
  void the_three_files_give_mutual_tls_on_any_host() {
    TransferTlsSettings s = TransferTlsSettings.decide(FILES, "node-a.example");
    assertThat(s.mode()).isEqualTo(Mode.MTLS);
    assertThat(s.tls()).isTrue();
    assertThat(s.cert()).isEqualTo(Path.of("/etc/novacron/tls/node-a.pem"));
    assertThat(TransferTlsSettings.decide(FILES, "127.0.0.1").mode()).isEqualTo(Mode.MTLS);
  }

  @Test
  void a_missing_file_is_named() {
    Map<String, String> env = Map.of("NOVACRON_TRANSFER_TLS_CERT", "/c.pem", "NOVACRON_TRANSFER_TLS_KEY", " ");
    assertThatThrownBy(() -> TransferTlsSettings.decide(env, "127.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NOVACRON_TRANSFER_TLS_KEY, NOVACRON_TRANSFER_TLS_CA")
        .hasMessageContaining("make-certs.sh");
  }

  @Test
  void on_without_files_asks_for_them() {
    assertThatThrownBy(() -> TransferTlsSettings.decide(Map.of("NOVACRON_TRANSFER_TLS", "on"), "127.0.0.1"))
        .hasMessageContaining("NOVACRON_TRANSFER_TLS_CERT, NOVACRON_TRANSFER_TLS_KEY, NOVACRON_TRANSFER_TLS_CA");
  }

  @Test
  void nothing_set_on_a_network_address_is_refused_rather_than_plaintext() {
    assertThatThrownBy(() -> TransferTlsSettings.decide(Map.of(), "node-a.example"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("plaintext")
        .hasMessageContaining("NOVACRON_TRANSFER_TLS_CERT")
        .hasMessageContaining("NOVACRON_TRANSFER_TLS=off");
    assertThatThrownBy(() -> TransferTlsSettings.decide(Map.of(), "10.0.0.7"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nothing_set_on_loopback_is_plaintext_that_stays_on_the_machine() {
    for (String host : new String[] {"127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "LOCALHOST"}) {
      assertThat(TransferTlsSettings.decide(Map.of(), host).mode()).as(host).isEqualTo(Mode.LOOPBACK);
    }
  }

  @Test
  void off_is_plaintext_anywhere_and_contradicts_files() {
    assertThat(TransferTlsSettings.decide(Map.of("NOVACRON_TRANSFER_TLS", "OFF"), "node-a.example").mode())
        .isEqualTo(Mode.PLAINTEXT);
    java.util.HashMap<String, String> both = new java.util.HashMap<>(FILES);
    both.put("NOVACRON_TRANSFER_TLS", "off");
    assertThatThrownBy(() -> TransferTlsSettings.decide(both, "node-a.example"))
        .hasMessageContaining("contradicts");
  }

  @Test
  void an_unknown_switch_value_is_refused() {
    assertThatThrownBy(() -> TransferTlsSettings.decide(Map.of("NOVACRON_TRANSFER_TLS", "yes"), "127.0.0.1"))
        .hasMessageContaining("NOVACRON_TRANSFER_TLS=yes").hasMessageContaining("on").hasMessageContaining("off");
  }

  @Test
  void host_names_are_not_resolved_to_decide_loopback() {
    assertThat(TransferTlsSettings.isLoopback("localhost.localdomain")).isFalse();
    assertThat(TransferTlsSettings.isLoopback("127.0.0.1.example")).isFalse();
    assertThat(TransferTlsSettings.isLoopback("")).isFalse();
    assertThat(TransferTlsSettings.isLoopback(null)).isFalse();
  }
}
