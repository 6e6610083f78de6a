package io.novacron.host.libvirt;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import java.io.StringWriter;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes libvirt XML with a real XML writer: values are escaped by the writer, never concatenated
 * into markup.
 */
public final class XmlDocuments {
  private XmlDocuments() {}

  /** Body of a document. */
  @FunctionalInterface
  public interface Body {
    void write(XmlWriter xml) throws XMLStreamException;
  }

  public static String write(Body body) {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter writer = XMLOutputFactory.newInstance().createXMLStreamWriter(out);
      body.write(new XmlWriter(writer));
      writer.flush();
      writer.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write XML: " + e.getMessage(), e);
    }
    return out.toString();
  }

  /**
   * Parses libvirt's XML (a domain, a pool, capabilities) into a DOM, with doctype declarations
   * refused: the XML may carry an image's or a user's strings.
   */
  public static Document parse(String xml) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot parse XML: " + e.getMessage(), e);
    }
  }

  /** A parsed document (or one element of it) as XML text again, without an XML declaration. */
  public static String toXml(Node node) {
    try {
      StringWriter out = new StringWriter();
      var transformer = javax.xml.transform.TransformerFactory.newInstance().newTransformer();
      transformer.setOutputProperty(javax.xml.transform.OutputKeys.OMIT_XML_DECLARATION, "yes");
      transformer.transform(new javax.xml.transform.dom.DOMSource(node),
          new javax.xml.transform.stream.StreamResult(out));
      return out.toString();
    } catch (javax.xml.transform.TransformerException e) {
      throw new IllegalStateException("cannot write XML: " + e.getMessage(), e);
    }
  }

  /** Every element of that name anywhere in the document, in document order. */
  public static List<Element> elements(Document doc, String name) {
    NodeList list = doc.getElementsByTagName(name);
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < list.getLength(); i++) {
      out.add((Element) list.item(i));
    }
    return out;
  }

  /** The element's direct children of that name. */
  public static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && name.equals(e.getTagName())) {
        out.add(e);
      }
    }
    return out;
  }

  /** The first element of that name below {@code parent}, or null. */
  public static Element first(Element parent, String name) {
    NodeList list = parent.getElementsByTagName(name);
    return list.getLength() == 0 ? null : (Element) list.item(0);
  }

  /** The text of the first element on the path of names below the root ({@code target, path}), or null. */
  public static String text(String xml, String... path) {
    Element at = parse(xml).getDocumentElement();
    for (String name : path) {
      List<Element> next = children(at, name);
      if (next.isEmpty()) {
        return null;
      }
      at = next.get(0);
    }
    return at.getTextContent().strip();
  }

  /** A small fluent layer over StAX for nested elements. */
  public static final class XmlWriter {
    private final XMLStreamWriter writer;

    XmlWriter(XMLStreamWriter writer) {
      this.writer = writer;
    }

    /** An element with attributes given as name/value pairs and a nested body. */
    public XmlWriter element(String name, Body body, String... attributes) throws XMLStreamException {
      writer.writeStartElement(name);
      attributes(attributes);
      body.write(this);
      writer.writeEndElement();
      return this;
    }

    /** An element holding text. */
    public XmlWriter text(String name, Object text, String... attributes) throws XMLStreamException {
      writer.writeStartElement(name);
      attributes(attributes);
      writer.writeCharacters(String.valueOf(text));
      writer.writeEndElement();
      return this;
    }

    /** An empty element. */
    public XmlWriter empty(String name, String... attributes) throws XMLStreamException {
      writer.writeEmptyElement(name);
      attributes(attributes);
      return this;
    }

    private void attributes(String[] pairs) throws XMLStreamException {
      if (pairs.length % 2 != 0) {
        throw new IllegalArgumentException("attributes come as name/value pairs");
      }
      for (int i = 0; i < pairs.length; i += 2) {
        writer.writeAttribute(pairs[i], pairs[i + 1]);
      }
    }
  }
}
