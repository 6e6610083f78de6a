package io.novacron.workflows.cloudinit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloudInitTest {

  @Test
  void allAbsentIsEmpty() {
    assertThat(new CloudInit(null, null, null, null).isEmpty()).isTrue();
    assertThat(new CloudInit(" ", List.of(), "", "\n").isEmpty()).isTrue();
  }

  @Test
  void anyPartMakesItNotEmpty() {
    assertThat(new CloudInit("#!/bin/sh\n", null, null, null).isEmpty()).isFalse();
    assertThat(new CloudInit(null, List.of(TestKeys.ED25519), null, null).isEmpty()).isFalse();
    assertThat(new CloudInit(null, null, "web-1", null).isEmpty()).isFalse();
    assertThat(new CloudInit(null, null, null, "version: 2\n").isEmpty()).isFalse();
  }

  @Test
  void keysAreStrippedAndNullEntriesSkipped() {
    CloudInit c = new CloudInit(null, Arrays.asList(TestKeys.ED25519 + "\n", null), null, null);
    assertThat(c.sshKeysOrEmpty()).containsExactly(TestKeys.ED25519);
  }

  @Test
  void readsTheDocumentedJsonAndWritesOnlyItsFourFields() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    String json = "{\"hostname\":\"web-1\",\"sshKeys\":[\"" + TestKeys.ED25519 + "\"],"
        + "\"userData\":\"#cloud-config\\npackages: [nginx]\\n\",\"networkConfig\":\"version: 2\\n\"}";
    CloudInit c = mapper.readValue(json, CloudInit.class);
    assertThat(c).isEqualTo(new CloudInit("#cloud-config\npackages: [nginx]\n", List.of(TestKeys.ED25519),
        "web-1", "version: 2\n"));
    assertThat(mapper.readTree(mapper.writeValueAsString(c)).fieldNames())
        .toIterable().containsExactlyInAnyOrder("userData", "sshKeys", "hostname", "networkConfig");
  }
}
