package io.novacron.workflows.image;

import io.novacron.workflows.FieldError;
import io.novacron.workflows.Names;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks an image registration: one error per bad field, each naming the fix. Pure; the REST API
 * runs it, and the same rules ({@link #urlRefusal}) guard the agent's download.
 */
public final class ImageRegistrationValidator {
  /** A SHA-256 as NovaCron writes it: 64 lower-case hex digits. */
  public static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** The configuration property that lists the hosts image URLs may name. */
  public static final String ALLOWED_HOSTS_PROPERTY = "novacron.images.allowed-url-hosts";

  private static final int MAX_URL = 2048;
  /** Only the characters RFC 3986 allows in a URI: no spaces, no backslashes, nothing to re-parse. */
  private static final Pattern URI_CHARS = Pattern.compile("[A-Za-z0-9._~:/?#\\[\\]@!$&'()*+,;=%-]+");
  /** scheme, authority, rest; the authority ends at the first '/', '?' or '#'. */
  private static final Pattern HTTP_URL = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)(.*)");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]");
  private static final int MAX_PATH = 4096;

  private ImageRegistrationValidator() {}

  /**
   * @param allowedHosts hosts (lower case) an image URL may name; empty refuses every URL
   */
  public static List<FieldError> validate(ImageRegistration r, Collection<String> allowedHosts) {
    List<FieldError> errors = new ArrayList<>();
    if (r == null) {
      errors.add(new FieldError("body", "send {\"name\",\"format\",\"sha256\"} and either \"url\" or \"node\" with \"path\""));
      return errors;
    }
    if (r.name() == null || !Names.IMAGE.matcher(r.name()).matches()) {
      errors.add(new FieldError("name", "'" + abbreviate(r.name())
          + "' is not an image name: 1-63 lower-case letters, digits, '.', '_' and '-', starting with a letter or digit"));
    }
    if (!ImageFiles.QCOW2.equals(r.format()) && !ImageFiles.RAW.equals(r.format())) {
      errors.add(new FieldError("format", "'" + abbreviate(r.format()) + "' is not a format: use qcow2 or raw"));
    }
    if (r.sha256() == null || !SHA256.matcher(r.sha256()).matches()) {
      errors.add(new FieldError("sha256", "'" + abbreviate(r.sha256())
          + "' is not a SHA-256: give the 64 lower-case hex digits `sha256sum FILE` prints"));
    }
    if (r.sizeBytes() != null && r.sizeBytes() <= 0) {
      errors.add(new FieldError("sizeBytes", "must be positive (the file's size in bytes), or left out"));
    }
    boolean hasNodeFile = r.node() != null || r.path() != null;
    if (r.fromUrl() == hasNodeFile) {
      errors.add(new FieldError(r.fromUrl() ? "url" : "source",
          "give either \"url\" (http or https) or \"node\" with \"path\" (a file on that node), not both and not neither"));
      return errors;
    }
    if (r.fromUrl()) {
      String refusal = urlRefusal(r.url(), allowedHosts);
      if (refusal != null) {
        errors.add(new FieldError("url", refusal));
      }
    } else {
      if (r.node() == null || !Names.NAME.matcher(r.node()).matches()) {
        errors.add(new FieldError("node", "'" + abbreviate(r.node()) + "' is not a node name: pick one of GET /api/v1/nodes"));
      }
      if (r.path() == null || !r.path().startsWith("/") || r.path().length() > MAX_PATH
          || r.path().contains("\0") || List.of(r.path().split("/")).contains("..")) {
        errors.add(new FieldError("path", "'" + abbreviate(r.path())
            + "' is not an absolute path: give the file's full path on the node, e.g. /srv/images/debian-12.qcow2"));
      }
    }
    return errors;
  }

  /**
   * Why a node may not download {@code url}, or null when it may: http(s) only, a host in
   * {@code allowedHosts}, no user info. The control plane checks at registration and again before
   * each pull (the allowlist may have shrunk); the agent checks before it connects.
   */
  public static String urlRefusal(String url, Collection<String> allowedHosts) {
    if (url.length() > MAX_URL) {
      return "longer than " + MAX_URL + " characters";
    }
    // Parsed by hand (workflow code may not touch java.net); the agent parses again with
    // java.net.URI and checks the host it will connect to against the same allowlist.
    var m = HTTP_URL.matcher(url);
    if (!URI_CHARS.matcher(url).matches() || !m.matches()) {
      return "'" + abbreviate(url) + "' is not a URL (e.g. https://images.example.org/debian-12.qcow2)";
    }
    String scheme = m.group(1).toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "'" + abbreviate(url) + "' is not an http or https URL";
    }
    String authority = m.group(2);
    if (authority.contains("@")) {
      return "'" + abbreviate(url) + "' must name a host without a user name or password";
    }
    int portAt = authority.lastIndexOf(':');
    String hostPart = portAt > authority.lastIndexOf(']') ? authority.substring(0, portAt) : authority;
    String port = portAt > authority.lastIndexOf(']') ? authority.substring(portAt + 1) : "";
    if (hostPart.isEmpty() || !HOST.matcher(hostPart).matches() || !port.matches("[0-9]{0,5}")) {
      return "'" + abbreviate(url) + "' needs a host name or address (and at most a numeric port)";
    }
    String host = hostPart.toLowerCase(Locale.ROOT);
    if (allowedHosts.isEmpty()) {
      return "image URLs are not allowed on this control plane; an operator allows hosts with "
          + ALLOWED_HOSTS_PROPERTY + "=" + host + " (NOVACRON_IMAGE_URL_HOSTS), or register the file by node and path";
    }
    if (!allowedHosts.contains(host)) {
      return "host '" + host + "' is not allowed (allowed: " + String.join(", ", allowedHosts)
          + "); an operator adds it to " + ALLOWED_HOSTS_PROPERTY + " (NOVACRON_IMAGE_URL_HOSTS)";
    }
    return null;
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
