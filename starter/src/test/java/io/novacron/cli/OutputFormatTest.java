package io.novacron.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lists as tables with units, {@code -o wide|json|yaml}, {@code get} as a key: value block, paging. */
class OutputFormatTest {
  static final String VMS = """
      [{"name":"web1","uuid":"u-1","node":"lab-a","state":"running","vcpus":2,"memoryMib":1536,"diskGib":8,
        "image":"debian-12","runId":"provision-web1-0a1b2c3d","addresses":["192.168.122.10"],
        "labels":{"team":"web"},"nodeDown":false},
       {"name":"database-01","uuid":"u-2","node":"lab-b","state":"shutoff","vcpus":8,"memoryMib":512,"diskGib":2048,
        "image":null,"runId":null,"addresses":[],"labels":{},"nodeDown":false}]""";

  private static final ObjectMapper JSON = new ObjectMapper();
  private LoopbackControlPlane api;

  @BeforeEach
  void start() throws Exception {
    api = new LoopbackControlPlane((method, path, body) -> {
      if (path.startsWith("/api/v1/vms/web1")) {
        return new LoopbackControlPlane.Answer(200, VMS.substring(VMS.indexOf('{'), VMS.indexOf("},\n") + 1));
      }
      if (path.startsWith("/api/v1/vms")) {
        return new LoopbackControlPlane.Answer(200, VMS, 7L);
      }
      return new LoopbackControlPlane.Answer(404, "{\"detail\":\"no such thing\"}");
    });
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aListIsAnAlignedTableWithUnits() {
    assertThat(api.cli("vm", "list")).as(api.err()).isZero();
    assertThat(api.out().split(System.lineSeparator())).containsExactly(
        "NAME         STATE    NODE   VCPUS  MEMORY   DISK   IMAGE",
        "web1         running  lab-a  2      1.5 GiB  8 GiB  debian-12",
        "database-01  shutoff  lab-b  8      512 MiB  2 TiB  -");
    assertThat(api.err()).as("the page holds 2 of 7").contains("(2 of 7 shown; the next page: --page=1)");
  }

  @Test
  void wideAddsColumns() {
    assertThat(api.cli("vm", "list", "-o", "wide")).isZero();
    assertThat(api.out()).contains("ADDRESSES", "LABELS", "192.168.122.10", "team=web", "provision-web1-0a1b2c3d");
  }

  @Test
  void jsonRoundTripsWhatTheApiSent() throws Exception {
    assertThat(api.cli("vm", "list", "-o", "json")).isZero();
    assertThat(JSON.readTree(api.out())).isEqualTo(JSON.readTree(VMS));
    assertThat(api.err()).as("nothing but data on stdout, no note for scripts").isEmpty();
  }

  @Test
  void theOutputOptionWorksBeforeTheCommandToo() throws Exception {
    assertThat(api.cli("-o", "json", "vm", "list")).isZero();
    assertThat(JSON.readTree(api.out())).isEqualTo(JSON.readTree(VMS));
  }

  @Test
  void yamlCarriesTheSameData() throws Exception {
    assertThat(api.cli("vm", "list", "--output=yaml")).isZero();
    assertThat(api.out()).contains("- name: \"web1\"").doesNotContain("---");
    assertThat(new ObjectMapper(new YAMLFactory()).readTree(api.out())).isEqualTo(JSON.readTree(VMS));
  }

  @Test
  void getIsAKeyValueBlockWithUnits() {
    assertThat(api.cli("vm", "get", "web1")).isZero();
    assertThat(api.out()).contains("name:      web1", "memoryMib: 1.5 GiB", "diskGib:   8 GiB",
        "labels:    {\"team\":\"web\"}");
  }

  @Test
  void pageAndSizeGoToTheApiAndAreCheckedFirst() {
    assertThat(api.cli("vm", "list", "--label=team=web", "--page=1", "--size=2")).isZero();
    assertThat(api.requests()).containsExactly("GET /api/v1/vms?label=team%3Dweb&page=1&size=2 ");
    assertThat(api.cli("vm", "list", "--size=500")).isEqualTo(ExitCodes.USAGE);
    assertThat(api.cli("vm", "list", "--page=-1")).isEqualTo(ExitCodes.USAGE);
    assertThat(api.requests()).hasSize(1);
    assertThat(api.err()).contains("--size must be between 1 and 200, was 500", "--page must be 0 or more, was -1");
  }

  @Test
  void aListTheControlPlaneDoesNotServeIsSaidPlainly() {
    assertThat(api.cli("migrations", "list")).isEqualTo(ExitCodes.FAILED);
    assertThat(api.err()).contains("has no GET /api/v1/migrations (it is older than this CLI: update it)");
  }

  @Test
  void aGetTheControlPlaneDoesNotServeIsToldFromAnUnknownItem() {
    assertThat(ApiCommand.noSuchEndpoint(new ApiClient.Response(404, JSON.createObjectNode()
        .put("detail", "No static resource api/v1/users/ann.")))).isTrue();
    assertThat(ApiCommand.noSuchEndpoint(new ApiClient.Response(404, JSON.createObjectNode()
        .put("error", "Not Found")))).isTrue();
    assertThat(api.cli("users", "get", "ann")).as("NovaCron's own 404 names the item").isEqualTo(ExitCodes.USAGE);
    assertThat(api.err()).contains("no such thing");
  }
}
