package io.novacron.host.libvirt;

import java.util.List;
import java.util.Locale;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Reads and changes the vCPUs and memory of a domain's definition, through the XML parser: the
 * rest of the definition (disks, NICs, console, the cloud-init metadata a migration rebuilds the
 * seed from) comes back exactly as libvirt gave it.
 */
public final class DomainResize {
  private DomainResize() {}

  /** A domain's vCPUs and memory. */
  public record Size(int vcpus, long memoryMib) {}

  /** The definition's vCPUs (the maximum, not a smaller {@code current}) and memory, in MiB. */
  public static Size size(String domainXml) {
    Element domain = XmlDocuments.parse(domainXml).getDocumentElement();
    Element vcpu = only(domain, "vcpu");
    Element memory = only(domain, "memory");
    return new Size(Integer.parseInt(vcpu.getTextContent().strip()), mib(memory));
  }

  /**
   * The definition with {@code vcpus} and {@code memoryMib}: {@code <vcpu>} loses a {@code current}
   * attribute (a smaller count would exceed the new maximum), and {@code <memory>} and
   * {@code <currentMemory>} both get the new size (the domain has no balloon to use less).
   */
  public static String resize(String domainXml, int vcpus, long memoryMib) {
    Document doc = XmlDocuments.parse(domainXml);
    Element domain = doc.getDocumentElement();
    Element vcpu = only(domain, "vcpu");
    vcpu.removeAttribute("current");
    vcpu.setTextContent(Integer.toString(vcpus));
    setKib(only(domain, "memory"), memoryMib);
    for (Element current : XmlDocuments.children(domain, "currentMemory")) {
      setKib(current, memoryMib);
    }
    return XmlDocuments.toXml(doc);
  }

  private static void setKib(Element memory, long memoryMib) {
    memory.setAttribute("unit", "KiB");
    memory.setTextContent(Long.toString(memoryMib * 1024));
  }

  private static Element only(Element domain, String name) {
    List<Element> found = XmlDocuments.children(domain, name);
    if (found.isEmpty()) {
      throw new IllegalArgumentException("domain XML has no <" + name + ">");
    }
    return found.get(0);
  }

  /** libvirt's memory units (its default is KiB), as whole MiB. */
  private static long mib(Element memory) {
    long value = Long.parseLong(memory.getTextContent().strip());
    String unit = memory.getAttribute("unit").isEmpty() ? "kib" : memory.getAttribute("unit").toLowerCase(Locale.ROOT);
    long bytes = switch (unit) {
      case "b", "bytes" -> value;
      case "k", "kib" -> value * 1024;
      case "kb" -> value * 1000;
      case "m", "mib" -> value * 1024 * 1024;
      case "mb" -> value * 1000 * 1000;
      case "g", "gib" -> value * 1024 * 1024 * 1024;
      case "gb" -> value * 1000L * 1000 * 1000;
      default -> throw new IllegalArgumentException("unknown memory unit '" + unit + "'");
    };
    return bytes / (1024 * 1024);
  }
}
