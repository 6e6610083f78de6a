package io.novacron.host.libvirt;

import java.io.StringReader;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * What a node's libvirt capabilities say about it, and the domain type its guests get.
 *
 * @param arch the host CPU architecture, which guests are defined with
 * @param cpuModel the host CPU model name (e.g. {@code Skylake-Client-IBRS}), or null
 * @param cpuVendor the host CPU vendor, or null
 * @param domainTypes domain types offered for hvm guests of {@code arch}, in document order
 */
public record HostCapabilities(String arch, String cpuModel, String cpuVendor, Set<String> domainTypes) {

  /** Parses {@code virConnectGetCapabilities} XML. */
  public static HostCapabilities parse(String capabilitiesXml) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document doc = factory.newDocumentBuilder().parse(new InputSource(new StringReader(capabilitiesXml)));
      XPath xpath = XPathFactory.newInstance().newXPath();
      String arch = xpath.evaluate("/capabilities/host/cpu/arch", doc).trim();
      String model = xpath.evaluate("/capabilities/host/cpu/model", doc).trim();
      String vendor = xpath.evaluate("/capabilities/host/cpu/vendor", doc).trim();
      NodeList types = (NodeList) xpath.evaluate(
          "/capabilities/guest[os_type='hvm']/arch[@name='" + arch + "']/domain/@type",
          doc, XPathConstants.NODESET);
      Set<String> offered = new LinkedHashSet<>();
      for (int i = 0; i < types.getLength(); i++) {
        offered.add(types.item(i).getNodeValue());
      }
      return new HostCapabilities(arch, emptyToNull(model), emptyToNull(vendor), offered);
    } catch (XPathExpressionException | javax.xml.parsers.ParserConfigurationException
        | org.xml.sax.SAXException | java.io.IOException e) {
      throw new IllegalArgumentException("unreadable libvirt capabilities: " + e.getMessage(), e);
    }
  }

  /**
   * {@code kvm} where offered and the CPU can run it, else {@code qemu} (TCG), else the driver's
   * own type (libvirt's test driver offers only {@code test}).
   *
   * <p>Why the CPU flag as well: libvirt lists {@code kvm} whenever {@code /dev/kvm} exists, but on
   * a CPU without vmx/svm a {@code kvm} guest hangs without an error (LAB.md). Such nodes get
   * {@code qemu}: slow, but real.
   */
  public String domainType(boolean hardwareVirtualization) {
    if (domainTypes.contains("kvm") && hardwareVirtualization) {
      return "kvm";
    }
    if (domainTypes.contains("qemu")) {
      return "qemu";
    }
    if (domainTypes.isEmpty()) {
      throw new IllegalStateException("libvirt offers no domain type for " + arch + " hvm guests");
    }
    return domainTypes.iterator().next();
  }

  /** Whether /proc/cpuinfo text shows vmx (Intel VT-x) or svm (AMD-V). */
  public static boolean hasHardwareVirtualization(String cpuinfo) {
    return cpuinfo.lines()
        .filter(line -> line.startsWith("flags"))
        .anyMatch(line -> line.matches(".*\\b(vmx|svm)\\b.*"));
  }

  private static String emptyToNull(String value) {
    return value.isEmpty() ? null : value;
  }
}
