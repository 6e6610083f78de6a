package io.novacron.host.migrate;

import io.novacron.host.libvirt.XmlDocuments;
import java.io.StringWriter;
import java.util.function.UnaryOperator;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Rewrites a domain's XML from the source node's paths to the target node's: the root disk, the
 * serial console log and the direct-boot kernel and initrd. Nothing else changes, so libvirt's ABI
 * check between the running domain and the destination XML passes.
 */
final class DomainXmlRewriter {
  private DomainXmlRewriter() {}

  /**
   * @param xml the source's migratable XML
   * @param diskPath the target's root disk, or null to leave the disk alone
   * @param consoleLog the target's console log, or null to leave it
   * @param bootFile maps a source kernel or initrd path to the target's (identity when unknown)
   */
  static String rewrite(String xml, String diskPath, String consoleLog, UnaryOperator<String> bootFile) {
    return rewrite(xml, diskPath, consoleLog, bootFile, null);
  }

  /**
   * As {@link #rewrite(String, String, String, UnaryOperator)}, and points the CD-ROM (the VM's
   * cloud-init seed) at {@code seedPath} when that is not null.
   */
  static String rewrite(String xml, String diskPath, String consoleLog, UnaryOperator<String> bootFile,
      String seedPath) {
    try {
      Document doc = XmlDocuments.parse(xml);
      for (Element disk : XmlDocuments.elements(doc, "disk")) {
        Element target = XmlDocuments.first(disk, "target");
        Element source = XmlDocuments.first(disk, "source");
        if (seedPath != null && "cdrom".equals(disk.getAttribute("device")) && source != null) {
          source.setAttribute("file", seedPath);
        }
        if (diskPath != null && target != null && "vda".equals(target.getAttribute("dev")) && source != null) {
          source.setAttribute("file", diskPath);
          // The chain below names the source's files; the target's libvirt reads its own chain
          // from the image headers instead.
          for (Element backing : XmlDocuments.children(disk, "backingStore")) {
            disk.removeChild(backing);
          }
        }
      }
      for (Element serial : XmlDocuments.elements(doc, "serial")) {
        Element source = XmlDocuments.first(serial, "source");
        if (consoleLog != null && "file".equals(serial.getAttribute("type")) && source != null) {
          source.setAttribute("path", consoleLog);
        }
      }
      for (String name : new String[] {"kernel", "initrd"}) {
        for (Element boot : XmlDocuments.elements(doc, name)) {
          boot.setTextContent(bootFile.apply(boot.getTextContent().strip()));
        }
      }
      StringWriter out = new StringWriter();
      var transformer = TransformerFactory.newInstance().newTransformer();
      transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
      transformer.transform(new DOMSource(doc), new StreamResult(out));
      return out.toString();
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot rewrite domain XML: " + e.getMessage(), e);
    }
  }

  /** The file behind the disk with target {@code dev} (e.g. {@code vda}), or null. */
  static String diskSource(String xml, String dev) {
    Document doc = XmlDocuments.parse(xml);
    for (Element disk : XmlDocuments.elements(doc, "disk")) {
      Element target = XmlDocuments.first(disk, "target");
      Element source = XmlDocuments.first(disk, "source");
      if (target != null && dev.equals(target.getAttribute("dev")) && source != null
          && !source.getAttribute("file").isEmpty()) {
        return source.getAttribute("file");
      }
    }
    return null;
  }

  /** The file directly below the disk with target {@code dev} in its backing chain, or null. */
  static String backingSource(String xml, String dev) {
    Document doc = XmlDocuments.parse(xml);
    for (Element disk : XmlDocuments.elements(doc, "disk")) {
      Element target = XmlDocuments.first(disk, "target");
      if (target == null || !dev.equals(target.getAttribute("dev"))) {
        continue;
      }
      for (Element backing : XmlDocuments.children(disk, "backingStore")) {
        for (Element source : XmlDocuments.children(backing, "source")) {
          if (!source.getAttribute("file").isEmpty()) {
            return source.getAttribute("file");
          }
        }
      }
    }
    return null;
  }

  /** The host CPU element of a capabilities document, as its own XML. */
  static String hostCpu(String capabilitiesXml) {
    try {
      Document doc = XmlDocuments.parse(capabilitiesXml);
      Element host = XmlDocuments.first(doc.getDocumentElement(), "host");
      Element cpu = host == null ? null : XmlDocuments.first(host, "cpu");
      if (cpu == null) {
        return null;
      }
      StringWriter out = new StringWriter();
      var transformer = TransformerFactory.newInstance().newTransformer();
      transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
      transformer.transform(new DOMSource(cpu), new StreamResult(out));
      return out.toString();
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot read capabilities: " + e.getMessage(), e);
    }
  }
}
