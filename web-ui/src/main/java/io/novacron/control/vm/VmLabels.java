package io.novacron.control.vm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.control.shared.InvalidRequestException;
import io.novacron.control.shared.LabelStore;
import io.novacron.control.shared.NotFoundException;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.labels.LabelRules;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A VM's labels: replaced or merged in the inventory, checked by {@link LabelRules}. Control-plane
 * data: no run and no node is involved, so a label changes even while a run changes the VM.
 */
@Service
public class VmLabels {
  private final LabelStore store;

  VmLabels(JdbcClient jdbc, ObjectMapper json) {
    this.store = new LabelStore(jdbc, json, "vms", "VM");
  }

  /**
   * Replaces all of the VM's labels with {@code labels}.
   *
   * @throws InvalidRequestException naming each bad label and the rule
   * @throws NotFoundException for a VM the inventory does not know
   */
  @Transactional
  public Map<String, String> replace(String vmName, Map<String, String> labels) {
    return store.replace(vmName, labels);
  }

  /**
   * Merges {@code patch} into the VM's labels: each key is set to its value, a null value removes
   * the key; concurrent merges both land.
   *
   * @throws InvalidRequestException naming each bad label, or the count when over the limit
   * @throws NotFoundException for a VM the inventory does not know
   */
  @Transactional
  public Map<String, String> merge(String vmName, Map<String, String> patch) {
    return store.merge(vmName, patch);
  }

  /** A selector for {@code VmRepository.findByLabelsContaining}; 400 naming a bad term. */
  String selector(List<String> terms) {
    try {
      return store.toJson(LabelRules.selector(terms));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(List.of(new FieldError("label", e.getMessage())));
    }
  }
}
