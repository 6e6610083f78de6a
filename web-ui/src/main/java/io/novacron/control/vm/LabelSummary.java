package io.novacron.control.vm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** A VM's or a node's labels as the dashboard shows them: {@code k=v} pairs by key, comma-separated. */
public final class LabelSummary {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LabelSummary() {}

  /** {@code team=web, tier=front} from the inventory's JSON object; empty for none. */
  public static String of(String labelsJson) {
    if (labelsJson == null || labelsJson.isBlank()) {
      return "";
    }
    try {
      Map<String, String> labels = new TreeMap<>(JSON.readValue(labelsJson, new TypeReference<Map<String, String>>() {}));
      return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    } catch (JsonProcessingException e) {
      return labelsJson; // shown as stored rather than hidden
    }
  }
}
