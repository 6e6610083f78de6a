package io.novacron.host.libvirt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.workflows.cloudinit.CloudInit;
import java.util.Optional;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A VM's cloud-init inputs in its domain XML's {@code <metadata>}: the seed ISO is a file on one
 * node, but the domain XML travels with every migration, so the target node rebuilds the same seed
 * from it instead of copying a file.
 */
public final class CloudInitMetadata {
  public static final String NAMESPACE = "https://novacron.io/xmlns/cloud-init/1";
  public static final String PREFIX = "novacron";
  public static final String ELEMENT = PREFIX + ":cloud-init";
  private static final ObjectMapper JSON = new ObjectMapper();

  private CloudInitMetadata() {}

  /** The inputs as the metadata holds them. */
  public static String toJson(CloudInit cloudInit) {
    try {
      return JSON.writeValueAsString(cloudInit);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a CloudInit is plain strings", e);
    }
  }

  /** The inputs recorded in {@code domainXml}, if it has any. */
  public static Optional<CloudInit> read(String domainXml) {
    Document doc = XmlDocuments.parse(domainXml);
    // The parser is not namespace-aware: match the element by its prefix's declaration, whatever
    // prefix libvirt wrote it back with.
    NodeList all = doc.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      Element element = (Element) all.item(i);
      String tag = element.getTagName();
      int colon = tag.indexOf(':');
      if (colon > 0 && tag.substring(colon + 1).equals("cloud-init")
          && NAMESPACE.equals(element.getAttribute("xmlns:" + tag.substring(0, colon)))) {
        try {
          return Optional.of(JSON.readValue(element.getTextContent(), CloudInit.class));
        } catch (JsonProcessingException e) {
          throw new IllegalArgumentException("the domain's cloud-init metadata is not valid JSON: "
              + e.getOriginalMessage(), e);
        }
      }
    }
    return Optional.empty();
  }
}
