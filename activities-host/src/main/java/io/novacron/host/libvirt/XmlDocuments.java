package io.novacron.host.libvirt;

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
