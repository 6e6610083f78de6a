package io.novacron.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code novacron image register|list|get|delete} against a loopback server that answers as the control plane does. */
class ImageCommandTest {
  private static final String SHA = "0123456789abcdef".repeat(4);
  private LoopbackControlPlane api;

  @BeforeEach
  void start() throws Exception {
    api = new LoopbackControlPlane((method, path, body) -> {
      if (method.equals("DELETE") && path.equals("/api/v1/images/used")) {
        return new LoopbackControlPlane.Answer(409, "{\"detail\":\"image 'used' is used by VM web1; delete it first\"}");
      }
      if (method.equals("DELETE")) {
        return new LoopbackControlPlane.Answer(204, "");
      }
      if (method.equals("POST") && body.contains("ftp:")) {
        return new LoopbackControlPlane.Answer(400, "{\"detail\":\"invalid\",\"errors\":[{\"field\":\"url\","
            + "\"message\":\"'ftp://x' is not an http or https URL\"}]}");
      }
      if (path.startsWith("/api/v1/runs/import-deb-1")) {
        return new LoopbackControlPlane.Answer(200, "{\"id\":\"import-deb-1\",\"state\":\"SUCCEEDED\",\"phase\":\"done\"}");
      }
      if (method.equals("POST") && body.contains("\"node\"")) {
        return new LoopbackControlPlane.Answer(201, "{\"name\":\"deb\",\"importRunId\":\"import-deb-1\"}");
      }
      return new LoopbackControlPlane.Answer(method.equals("POST") ? 201 : 200, "{\"name\":\"deb\"}");
    });
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void registerSendsTheRegistrationAsTheApiSpellsIt() {
    assertThat(api.cli("image", "register", "deb", "--format=raw", "--sha256=" + SHA, "--node=node-a",
        "--path=/srv/deb.img", "--size-bytes=1048576")).isZero();
    assertThat(api.requests()).containsExactly("POST /api/v1/images {\"name\":\"deb\",\"format\":\"raw\",\"sha256\":\""
        + SHA + "\",\"node\":\"node-a\",\"path\":\"/srv/deb.img\",\"sizeBytes\":1048576}");
  }

  @Test
  void registerByNodeFileWatchesTheImportRun() {
    assertThat(api.cli("image", "register", "deb", "--format=raw", "--sha256=" + SHA, "--node=node-a",
        "--path=/srv/deb.img", "--watch")).isZero();
    assertThat(api.requests()).hasSize(2);
    assertThat(api.requests().get(1)).isEqualTo("GET /api/v1/runs/import-deb-1 ");
    assertThat(api.out()).contains("importRunId: import-deb-1", "import-deb-1  SUCCEEDED  phase=done");
  }

  @Test
  void listGetAndDeleteAddressTheImages() {
    assertThat(api.cli("image", "list")).isZero();
    assertThat(api.cli("image", "get", "deb")).isZero();
    assertThat(api.cli("image", "delete", "deb")).isZero();
    assertThat(api.requests()).containsExactly("GET /api/v1/images ", "GET /api/v1/images/deb ",
        "DELETE /api/v1/images/deb ");
    assertThat(api.out()).contains("deleted deb");
  }

  @Test
  void theApisRefusalsAreShownWithTheFields() {
    assertThat(api.cli("image", "delete", "used")).as("409: refused").isEqualTo(NovacronCli.EXIT_REFUSED);
    assertThat(api.err()).contains("used by VM web1");
    assertThat(api.cli("image", "register", "deb", "--format=qcow2", "--sha256=" + SHA, "--url=ftp://x"))
        .as("400: a bad request").isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.err()).contains("url: 'ftp://x' is not an http or https URL");
  }

  @Test
  void misuseIsNamedAndSendsNothing() {
    assertThat(api.cli("image", "register", "deb", "--colour=blue")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.cli("image", "delete")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.cli("image", "frobnicate")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.requests()).isEmpty();
    assertThat(api.err()).contains("Unknown option: '--colour=blue'", "see: novacron image register --help",
        "Missing required parameter: 'NAME'", "see: novacron image delete --help",
        "Unmatched argument at index 2: 'frobnicate'");
  }
}
