package io.novacron.control.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** A VM's networks and IP addresses as one line for the dashboard: {@code lab 10.77.0.120}. */
final class NetworkSummary {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NetworkSummary() {}

  /**
   * Each NIC's network followed by the addresses of its MAC ({@code ?} while none is known),
   * NICs separated by commas; empty for a VM without NICs. Malformed JSON shows as empty: the
   * columns are written by NovaCron only.
   */
  static String of(String nicsJson, String addressesJson) {
    JsonNode nics = read(nicsJson);
    JsonNode addresses = read(addressesJson);
    List<String> parts = new ArrayList<>();
    for (JsonNode nic : nics) {
      String mac = nic.path("mac").asText();
      List<String> ips = new ArrayList<>();
      for (JsonNode address : addresses) {
        if (mac.equalsIgnoreCase(address.path("mac").asText())) {
          ips.add(address.path("ip").asText());
        }
      }
      parts.add(nic.path("network").asText() + " " + (ips.isEmpty() ? "?" : String.join(" ", ips)));
    }
    return String.join(", ", parts);
  }

  private static JsonNode read(String json) {
    if (json == null || json.isBlank()) {
      return JSON.createArrayNode();
    }
    try {
      JsonNode node = JSON.readTree(json);
      return node.isArray() ? node : JSON.createArrayNode();
    } catch (java.io.IOException e) {
      return JSON.createArrayNode();
    }
  }
}
