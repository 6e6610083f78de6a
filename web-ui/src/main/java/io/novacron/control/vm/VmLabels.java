package io.novacron.control.vm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.control.shared.InvalidRequestException;
import io.novacron.control.shared.NotFoundException;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.labels.LabelRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A VM's labels: replaced or merged in the inventory, checked by {@link LabelRules}. Control-plane
 * data: no run and no node is involved, so a label changes even while a run changes the VM.
 */
@Service
public class VmLabels {
  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final ObjectMapper json;

  VmLabels(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /**
   * Replaces all of the VM's labels with {@code labels}.
   *
   * @throws InvalidRequestException naming each bad label and the rule
   * @throws NotFoundException for a VM the inventory does not know
   */
  @Transactional
  public Map<String, String> replace(String vmName, Map<String, String> labels) {
    List<FieldError> errors = LabelRules.validate(labels, "labels");
    if (labels == null) {
      errors = List.of(new FieldError("labels", "send a JSON object of labels, e.g. {\"team\":\"web\"}; {} removes all"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    current(vmName);
    Map<String, String> sorted = new TreeMap<>(labels);
    write(vmName, sorted);
    return sorted;
  }

  /**
   * Merges {@code patch} into the VM's labels: each key is set to its value, a null value removes
   * the key. The row is locked for the read-modify-write, so concurrent merges both land.
   *
   * @throws InvalidRequestException naming each bad label, or the count when over the limit
   * @throws NotFoundException for a VM the inventory does not know
   */
  @Transactional
  public Map<String, String> merge(String vmName, Map<String, String> patch) {
    List<FieldError> errors = new ArrayList<>(LabelRules.validatePatch(patch, "labels"));
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    Map<String, String> merged = LabelRules.merge(current(vmName), patch);
    LabelRules.count(merged.size(), "labels").ifPresent(error -> {
      throw new InvalidRequestException(List.of(error));
    });
    write(vmName, merged);
    return merged;
  }

  /** The VM's labels, its row locked until the transaction ends. */
  private Map<String, String> current(String vmName) {
    String labels = jdbc.sql("select labels from vms where name = :name for update")
        .param("name", vmName).query(String.class).optional()
        .orElseThrow(() -> new NotFoundException("no VM named '" + vmName + "'; see GET /api/v1/vms"));
    try {
      return json.readValue(labels, LABELS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("labels of " + vmName + " are not a JSON object of strings", e);
    }
  }

  /**
   * Leaves updated_at alone: the reconciliation with libvirt reads it as "a run wrote something
   * newer than this announcement", and a label says nothing about the domain.
   */
  private void write(String vmName, Map<String, String> labels) {
    jdbc.sql("update vms set labels = :labels where name = :name")
        .param("labels", toJson(labels)).param("name", vmName).update();
  }

  /** A selector for {@code VmRepository.findByLabelsContaining}; 400 naming a bad term. */
  String selector(List<String> terms) {
    try {
      return toJson(LabelRules.selector(terms));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(List.of(new FieldError("label", e.getMessage())));
    }
  }

  private String toJson(Map<String, String> labels) {
    try {
      return json.writeValueAsString(labels);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise labels", e);
    }
  }
}
