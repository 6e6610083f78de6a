package io.novacron.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the node's PEM files: every mistake stops the node at start, naming the setting. */
class TransferTlsTest {
  @TempDir
  Path tmp;

  @Test
  void a_node_certificate_from_make_certs_loads() {
    TransferTls tls = TwoNodes.tls("node-a");
    assertThat(tls.subject()).contains("CN=novacron-node-a");
  }

  @Test
  void a_certificate_of_another_ca_is_refused_at_start() {
    assertThatThrownBy(() -> TransferTls.fromPem(pem("other/node-x"), key("other/node-x"), pem("ca")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NOVACRON_TRANSFER_TLS_CERT=")
        .hasMessageContaining("does not chain to NOVACRON_TRANSFER_TLS_CA=");
  }

  @Test
  void a_key_of_another_certificate_is_refused() {
    assertThatThrownBy(() -> TransferTls.fromPem(pem("node-a"), key("node-b"), pem("ca")))
        .hasMessageContaining("NOVACRON_TRANSFER_TLS_KEY=").hasMessageContaining("is not the key of");
  }

  @Test
  void a_client_only_certificate_from_before_transfer_tls_is_refused_with_the_fix() {
    assertThatThrownBy(() -> TransferTls.fromPem(pem("control-plane"), key("control-plane"), pem("ca")))
        .hasMessageContaining("not allowed for both TLS server and client")
        .hasMessageContaining("make-certs.sh");
  }

  @Test
  void a_missing_file_and_a_non_pkcs8_key_are_named() throws Exception {
    assertThatThrownBy(() -> TransferTls.fromPem(tmp.resolve("none.pem"), key("node-a"), pem("ca")))
        .hasMessageContaining("NOVACRON_TRANSFER_TLS_CERT=").hasMessageContaining("no such readable file");
    Path sec1 = Files.writeString(tmp.resolve("sec1.key"),
        "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA==\n-----END EC PRIVATE KEY-----\n");
    assertThatThrownBy(() -> TransferTls.fromPem(pem("node-a"), sec1, pem("ca")))
        .hasMessageContaining("NOVACRON_TRANSFER_TLS_KEY=").hasMessageContaining("PKCS#8")
        .hasMessageContaining("openssl pkcs8 -topk8");
  }

  @Test
  void from_env_builds_a_tls_node_config_and_a_loopback_plaintext_one() throws Exception {
    TransferConfig tls = TransferConfig.fromEnv(tmp, Map.of(
        "NOVACRON_TRANSFER_HOST", "node-a.example", "NOVACRON_TRANSFER_SECRET", "00112233445566778899aabbccddeeff",
        "NOVACRON_TRANSFER_TLS_CERT", pem("node-a").toString(), "NOVACRON_TRANSFER_TLS_KEY", key("node-a").toString(),
        "NOVACRON_TRANSFER_TLS_CA", pem("ca").toString()));
    assertThat(tls.tls()).isNotNull();
    assertThat(tls.bindAddress()).isNull();
    assertThat(tls.toString()).contains("tls=TLSv1.3");

    TransferConfig local = TransferConfig.fromEnv(tmp, Map.of("NOVACRON_TRANSFER_HOST", "127.0.0.1",
        "NOVACRON_TRANSFER_SECRET", "00112233445566778899aabbccddeeff"));
    assertThat(local.tls()).isNull();
    assertThat(local.bindAddress().isLoopbackAddress()).isTrue();
  }

  private static Path pem(String name) {
    return TwoNodes.resource(name + ".pem");
  }

  private static Path key(String name) {
    return TwoNodes.resource(name + ".key");
  }
}
