package io.novacron.control.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** A VM's networks and IP addresses as one line for the dashboard: {@code lab 10.77.0.120}. */
final class NetworkSummary {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NetworkSummary() {}

  /** One NIC: its network, its MAC and the guest addresses found for that MAC. */
  record Nic(String network, String mac, List<String> ips) {}

  /**
   * Each NIC's network followed by the addresses of its MAC ({@code ?} while none is known),
   * NICs separated by commas; empty for a VM without NICs. Malformed JSON shows as empty: the
   * columns are written by NovaCron only.
   */
  static String of(String nicsJson, String addressesJson) {
    List<String> parts = new ArrayList<>();
    for (Nic nic : nics(nicsJson, addressesJson)) {
      parts.add(nic.network() + " " + (nic.ips().isEmpty() ? "?" : String.join(" ", nic.ips())));
    }
    return String.join(", ", parts);
  }

  /** The VM's NICs with their addresses, in the order assigned; empty as {@link #of} is. */
  static List<Nic> nics(String nicsJson, String addressesJson) {
    JsonNode addresses = read(addressesJson);
    List<Nic> nics = new ArrayList<>();
    for (JsonNode nic : read(nicsJson)) {
      String mac = nic.path("mac").asText();
      List<String> ips = new ArrayList<>();
      for (JsonNode address : addresses) {
        if (mac.equalsIgnoreCase(address.path("mac").asText())) {
          ips.add(address.path("ip").asText());
        }
      }
      nics.add(new Nic(nic.path("network").asText(), mac, List.copyOf(ips)));
    }
    return nics;
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
