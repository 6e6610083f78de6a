package io.novacron.control.shared;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.labels.LabelRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The labels column of one inventory table ({@code vms}, {@code nodes}): replaced or merged,
 * checked by {@link LabelRules}. Control-plane data: no run and no node is involved. Callers run
 * {@link #replace} and {@link #merge} inside a transaction, which the row lock of the read lasts for.
 */
public final class LabelStore {
  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final ObjectMapper json;
  private final String table;
  private final String noun;

  /**
   * @param table the table, a constant of the caller's ({@code vms} or {@code nodes}), never input
   * @param noun what a row is, for messages: {@code VM}, {@code node}
   */
  public LabelStore(JdbcClient jdbc, ObjectMapper json, String table, String noun) {
    this.jdbc = jdbc;
    this.json = json;
    this.table = table;
    this.noun = noun;
  }

  /**
   * Replaces all of the row's labels with {@code labels}.
   *
   * @throws InvalidRequestException naming each bad label and the rule
   * @throws NotFoundException for a row that does not exist
   */
  public Map<String, String> replace(String name, Map<String, String> labels) {
    List<FieldError> errors = LabelRules.validate(labels, "labels");
    if (labels == null) {
      errors = List.of(new FieldError("labels", "send a JSON object of labels, e.g. {\"team\":\"web\"}; {} removes all"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    current(name);
    Map<String, String> sorted = new TreeMap<>(labels);
    write(name, sorted);
    return sorted;
  }

  /**
   * Merges {@code patch} into the row's labels: each key is set to its value, a null value removes
   * the key. The row is locked for the read-modify-write, so concurrent merges both land.
   *
   * @throws InvalidRequestException naming each bad label, or the count when over the limit
   * @throws NotFoundException for a row that does not exist
   */
  public Map<String, String> merge(String name, Map<String, String> patch) {
    List<FieldError> errors = new ArrayList<>(LabelRules.validatePatch(patch, "labels"));
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    Map<String, String> merged = LabelRules.merge(current(name), patch);
    LabelRules.count(merged.size(), "labels").ifPresent(error -> {
      throw new InvalidRequestException(List.of(error));
    });
    write(name, merged);
    return merged;
  }

  /** The row's labels, the row locked until the transaction ends. */
  private Map<String, String> current(String name) {
    String labels = jdbc.sql("select labels from " + table + " where name = :name for update")
        .param("name", name).query(String.class).optional()
        .orElseThrow(() -> new NotFoundException("no " + noun + " named '" + name + "'; see GET /api/v1/" + table));
    try {
      return json.readValue(labels, LABELS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("labels of " + name + " are not a JSON object of strings", e);
    }
  }

  /**
   * Leaves updated_at alone: the reconciliation with libvirt reads a VM's as "a run wrote something
   * newer than this announcement", and a label says nothing about the domain.
   */
  private void write(String name, Map<String, String> labels) {
    jdbc.sql("update " + table + " set labels = :labels where name = :name")
        .param("labels", toJson(labels)).param("name", name).update();
  }

  /** A JSON object of labels, e.g. a selector for a containment query. */
  public String toJson(Map<String, String> labels) {
    try {
      return json.writeValueAsString(labels);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise labels", e);
    }
  }
}
