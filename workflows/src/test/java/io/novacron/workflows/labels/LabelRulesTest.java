package io.novacron.workflows.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.workflows.FieldError;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LabelRulesTest {
  @Test
  void kubernetesLikeKeysAndValuesPass() {
    assertThat(LabelRules.validate(Map.of("team", "web", "app.kubernetes.io/name", "nginx-1.25", "tier", "",
        "a", "B_c.D", "x".repeat(63), "y".repeat(63)), "labels")).isEmpty();
  }

  @Test
  void aBadKeyOrValueIsNamedWithTheRule() {
    List<FieldError> errors = LabelRules.validate(Map.of("Team", "web"), "labels");
    assertThat(errors).extracting(FieldError::field).containsExactly("labels.Team");
    assertThat(errors.get(0).message()).contains("a-z 0-9 - _ . /");

    assertThat(LabelRules.validate(Map.of("-team", "x"), "labels")).hasSize(1);
    assertThat(LabelRules.validate(Map.of("x".repeat(64), "x"), "labels")).hasSize(1);
    errors = LabelRules.validate(Map.of("team", "web app"), "labels");
    assertThat(errors).extracting(FieldError::field).containsExactly("labels.team");
    assertThat(errors.get(0).message()).contains("at most 63").contains("'web app'");
    assertThat(LabelRules.validate(Map.of("team", "v".repeat(64)), "labels")).hasSize(1);
    assertThat(LabelRules.validate(Map.of("team", "a=b"), "labels")).hasSize(1);
  }

  @Test
  void atMost32Labels() {
    Map<String, String> many = new HashMap<>();
    IntStream.range(0, 33).forEach(i -> many.put("k" + i, "v"));
    assertThat(LabelRules.validate(many, "labels")).extracting(FieldError::field).containsExactly("labels");
    many.remove("k0");
    assertThat(LabelRules.validate(many, "labels")).isEmpty();
  }

  @Test
  void aPatchRemovesWithNullAndSetsTheRest() {
    Map<String, String> patch = new HashMap<>();
    patch.put("old", null);
    patch.put("team", "db");
    assertThat(LabelRules.validatePatch(patch, "labels")).isEmpty();
    assertThat(LabelRules.merge(Map.of("old", "1", "team", "web", "keep", "x"), patch))
        .containsExactly(Map.entry("keep", "x"), Map.entry("team", "db"));
    assertThat(LabelRules.validate(patch, "labels")).as("a full set has no nulls")
        .extracting(FieldError::field).containsExactly("labels.old");
  }

  @Test
  void aSelectorIsKeyEqualsValueTerms() {
    assertThat(LabelRules.selector(List.of("team=web", "tier="))).containsEntry("team", "web").containsEntry("tier", "");
    assertThatThrownBy(() -> LabelRules.selector(List.of("team"))).hasMessageContaining("is not k=v");
    assertThatThrownBy(() -> LabelRules.selector(List.of("Team=web"))).hasMessageContaining("a key is");
  }
}
