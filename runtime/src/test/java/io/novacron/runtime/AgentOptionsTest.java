package io.novacron.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentOptionsTest {

  private static AgentOptions parse(Map<String, String> env, String... args) {
    return AgentOptions.parse(args, env);
  }

  @Test
  void argumentIsRead() {
    assertThat(parse(Map.of(), "--node=node-1").node()).isEqualTo("node-1");
  }

  @Test
  void environmentIsReadWithPrefixUpperCaseAndUnderscores() {
    AgentOptions options = parse(Map.of(
        "NOVACRON_NODE", "node-2",
        "NOVACRON_ANNOUNCE_INTERVAL", "15",
        "NOVACRON_LIBVIRT_URI", "qemu:///system"));
    assertThat(options.node()).isEqualTo("node-2");
    assertThat(options.seconds("announce-interval", 30)).isEqualTo(15);
    assertThat(options.get("libvirt-uri", null)).isEqualTo("qemu:///system");
  }

  @Test
  void argumentsWinOverEnvironment() {
    AgentOptions options = parse(
        Map.of("NOVACRON_NODE", "from-env", "NOVACRON_TEMPORAL", "env:7233"),
        "--node=from-args", "--temporal=args:7233");
    assertThat(options.node()).isEqualTo("from-args");
    assertThat(options.temporalTarget()).isEqualTo("args:7233");
  }

  @Test
  void fallbackWhenNeitherIsSet() {
    AgentOptions options = parse(Map.of());
    assertThat(options.get("anything", "dflt")).isEqualTo("dflt");
    assertThat(options.get("anything", null)).isNull();
    assertThat(options.temporalTarget()).isEqualTo(TemporalConnection.DEFAULT_TARGET);
    assertThat(options.namespace()).isEqualTo(TemporalConnection.DEFAULT_NAMESPACE);
    assertThat(options.seconds("announce-interval", 30)).isEqualTo(30);
  }

  @Test
  void blankEnvironmentValueFallsBack() {
    AgentOptions options = parse(Map.of("NOVACRON_NAMESPACE", "  "));
    assertThat(options.namespace()).isEqualTo("default");
  }

  @Test
  void valueMayContainEqualsSigns() {
    assertThat(parse(Map.of(), "--libvirt-uri=qemu+ssh://h/system?keyfile=/k").get("libvirt-uri", null))
        .isEqualTo("qemu+ssh://h/system?keyfile=/k");
  }

  @Test
  void lastOfARepeatedArgumentWins() {
    assertThat(parse(Map.of(), "--node=first", "--node=second").node()).isEqualTo("second");
  }

  @ParameterizedTest
  @ValueSource(strings = {"node", "-node=a", "--node", "--=a", "node=a", "--n"})
  void malformedArgumentIsRefused(String arg) {
    assertThatThrownBy(() -> parse(Map.of(), arg))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + arg + "'")
        .hasMessageContaining("--key=value");
  }

  @Test
  void missingNodeNamesTheFlagAndTheVariable() {
    assertThatThrownBy(() -> parse(Map.of()).node())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--node")
        .hasMessageContaining("NOVACRON_NODE")
        .hasMessageEndingWith("was null");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Node-1", "1node", "node_1", "node.1", "host.node-1", ""})
  void badNodeNameIsRefused(String node) {
    assertThatThrownBy(() -> parse(Map.of(), "--node=" + node).node())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--node")
        .hasMessageEndingWith("was " + node);
  }

  @Test
  void nodeOf63CharactersIsTheLongestAllowed() {
    assertThat(parse(Map.of(), "--node=" + "n".repeat(63)).node()).hasSize(63);
    assertThatThrownBy(() -> parse(Map.of(), "--node=" + "n".repeat(64)).node())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "ten", "1.5", ""})
  void secondsMustBeAWholeNumberOfAtLeastOne(String value) {
    assertThatThrownBy(() -> parse(Map.of(), "--announce-interval=" + value).seconds("announce-interval", 30))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--announce-interval")
        .hasMessageEndingWith("was " + value);
  }

  @Test
  void secondsFromEnvironment() {
    assertThat(parse(Map.of("NOVACRON_ANNOUNCE_INTERVAL", "1")).seconds("announce-interval", 30))
        .isEqualTo(1);
  }
}
