package io.novacron.workflows.provision;

import java.util.Collections;

import java.util.Arrays;

import io.novacron.workflows.FieldError;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProvisionVmValidatorTest {

  private static final ProvisionVmRequest VALID =
      new ProvisionVmRequest("web-1", 2, 512, 10, "tiny", "node-a");

  private static ProvisionVmRequest withName(String name) {
    return new ProvisionVmRequest(name, 2, 512, 10, "tiny", null);
  }

  private static ProvisionVmRequest withVcpus(int vcpus) {
    return new ProvisionVmRequest("web-1", vcpus, 512, 10, "tiny", null);
  }

  private static ProvisionVmRequest withMemory(long memoryMib) {
    return new ProvisionVmRequest("web-1", 2, memoryMib, 10, "tiny", null);
  }

  private static ProvisionVmRequest withDisk(long diskGib) {
    return new ProvisionVmRequest("web-1", 2, 512, diskGib, "tiny", null);
  }

  private static ProvisionVmRequest withImage(String image) {
    return new ProvisionVmRequest("web-1", 2, 512, 10, image, null);
  }

  private static ProvisionVmRequest withNode(String node) {
    return new ProvisionVmRequest("web-1", 2, 512, 10, "tiny", node);
  }

  private static List<String> fields(ProvisionVmRequest request) {
    return ProvisionVmValidator.validate(request).stream().map(FieldError::field).toList();
  }

  @Test
  void validRequestHasNoErrors() {
    assertThat(ProvisionVmValidator.validate(VALID)).isEmpty();
  }

  @Test
  void nullRequestIsOneBodyError() {
    List<FieldError> errors = ProvisionVmValidator.validate(null);
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("body");
      assertThat(e.message()).contains("name", "vcpus", "memoryMib", "diskGib");
    });
  }

  // --- name ---------------------------------------------------------------------------------

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   "})
  void missingNameIsRequired(String name) {
    List<FieldError> errors = ProvisionVmValidator.validate(withName(name));
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("name");
      assertThat(e.message()).startsWith("is required");
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "web", "web-1", "w3b", "a-", "a0-0-z"})
  void goodNamesPass(String name) {
    assertThat(ProvisionVmValidator.validate(withName(name))).isEmpty();
  }

  @Test
  void nameOf63CharactersPassesAnd64Fails() {
    assertThat(fields(withName("a".repeat(63)))).isEmpty();
    assertThat(fields(withName("a".repeat(64)))).containsExactly("name");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Web", "WEB-1", "1web", "-web", "web_1", "web.1", "web 1", "web/1", "../etc/passwd",
      "<domain>", "web-1\n", "wéb"})
  void badNamesAreRejectedWithTheValueQuoted(String name) {
    List<FieldError> errors = ProvisionVmValidator.validate(withName(name));
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("name");
      assertThat(e.message()).startsWith("'" + name + "' is not allowed");
    });
  }

  @Test
  void longBadNameIsAbbreviatedInTheMessage() {
    String name = "X".repeat(100);
    FieldError error = ProvisionVmValidator.validate(withName(name)).get(0);
    assertThat(error.message())
        .startsWith("'" + "X".repeat(40) + "...'")
        .doesNotContain("X".repeat(41));
  }

  // --- ranges -------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 64})
  void vcpusInRangePass(int vcpus) {
    assertThat(fields(withVcpus(vcpus))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 65, 1000})
  void vcpusOutOfRangeFail(int vcpus) {
    List<FieldError> errors = ProvisionVmValidator.validate(withVcpus(vcpus));
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("vcpus");
      assertThat(e.message()).isEqualTo("must be between 1 and 64, was " + vcpus);
    });
  }

  @ParameterizedTest
  @ValueSource(longs = {64, 65, 1048576})
  void memoryInRangePasses(long memoryMib) {
    assertThat(fields(withMemory(memoryMib))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {Long.MIN_VALUE, 0, 63, 1048577, Long.MAX_VALUE})
  void memoryOutOfRangeFails(long memoryMib) {
    List<FieldError> errors = ProvisionVmValidator.validate(withMemory(memoryMib));
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("memoryMib");
      assertThat(e.message()).isEqualTo("must be between 64 and 1048576 MiB, was " + memoryMib);
    });
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 16384})
  void diskInRangePasses(long diskGib) {
    assertThat(fields(withDisk(diskGib))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 0, 16385, Long.MAX_VALUE})
  void diskOutOfRangeFails(long diskGib) {
    List<FieldError> errors = ProvisionVmValidator.validate(withDisk(diskGib));
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("diskGib");
      assertThat(e.message()).isEqualTo("must be between 1 and 16384 GiB, was " + diskGib);
    });
  }

  @Test
  void constantsMatchTheDocumentedLimits() {
    assertThat(ProvisionVmValidator.MAX_VCPUS).isEqualTo(64);
    assertThat(ProvisionVmValidator.MIN_MEMORY_MIB).isEqualTo(64);
    assertThat(ProvisionVmValidator.MAX_MEMORY_MIB).isEqualTo(1_048_576);
    assertThat(ProvisionVmValidator.MAX_DISK_GIB).isEqualTo(16_384);
  }

  // --- image --------------------------------------------------------------------------------

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "  "})
  void noImageMeansAnEmptyDisk(String image) {
    assertThat(fields(withImage(image))).isEmpty();
    assertThat(withImage(image).imageOrNull()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny", "ubuntu-24.04", "debian_12", "0day", "a", "img.qcow2"})
  void goodImageNamesPass(String image) {
    assertThat(fields(withImage(image))).isEmpty();
  }

  @Test
  void imageOf63CharactersPassesAnd64Fails() {
    assertThat(fields(withImage("i".repeat(63)))).isEmpty();
    assertThat(fields(withImage("i".repeat(64)))).containsExactly("image");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Tiny", ".hidden", "-dash", "_under", "../etc/passwd", "a/b", "tiny image", " tiny",
      "tiny\n", "<img>", "tiny;rm"})
  void badImageNamesAreRejected(String image) {
    List<FieldError> errors = ProvisionVmValidator.validate(withImage(image));
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("image");
      assertThat(e.message()).contains("is not an image name");
    });
  }

  // --- node ---------------------------------------------------------------------------------

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "  "})
  void noNodeLetsPlacementChoose(String node) {
    assertThat(fields(withNode(node))).isEmpty();
    assertThat(withNode(node).nodeOrNull()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"node-a", "n", "lab-01"})
  void goodNodeNamesPass(String node) {
    assertThat(fields(withNode(node))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Node-A", "1node", "node_a", "node.a", "-node", "host.node-a"})
  void badNodeNamesAreRejected(String node) {
    List<FieldError> errors = ProvisionVmValidator.validate(withNode(node));
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("node");
      assertThat(e.message()).startsWith("'" + node + "' is not a node name");
    });
  }

  @Test
  void nodeOf64CharactersFails() {
    assertThat(fields(withNode("n".repeat(63)))).isEmpty();
    assertThat(fields(withNode("n".repeat(64)))).containsExactly("node");
  }

  @Test
  void networksMustBeNamesAndAtMostEight() {
    ProvisionVmRequest ok = new ProvisionVmRequest("web-1", 1, 64, 1, null, null, List.of("default", "br-lan.10"));
    assertThat(fields(ok)).isEmpty();
    ProvisionVmRequest bad = new ProvisionVmRequest("web-1", 1, 64, 1, null, null, Arrays.asList("lab", "../x", null));
    assertThat(fields(bad)).containsExactly("networks[1]", "networks[2]");
    ProvisionVmRequest many = new ProvisionVmRequest("web-1", 1, 64, 1, null, null, Collections.nCopies(9, "lab"));
    assertThat(fields(many)).containsExactly("networks");
  }

  // --- all together -------------------------------------------------------------------------

  @Test
  void everyBadFieldIsReportedInFieldOrder() {
    ProvisionVmRequest bad = new ProvisionVmRequest("Bad Name", 0, 1, 0, "Bad Image", "Bad Node");
    assertThat(fields(bad)).containsExactly("name", "vcpus", "memoryMib", "diskGib", "image", "node");
  }

  @Test
  void fieldErrorToStringNamesFieldAndMessage() {
    assertThat(new FieldError("vcpus", "must be between 1 and 64, was 0"))
        .hasToString("vcpus: must be between 1 and 64, was 0");
  }
}
