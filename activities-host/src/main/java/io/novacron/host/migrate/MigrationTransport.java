package io.novacron.host.migrate;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import org.libvirt.Domain.MigrateFlags;

/**
 * How this node's live migrations travel (docs/migration.md "Agent setting").
 *
 * @param uri the URI another node's libvirtd reaches this node's libvirtd at, peer to peer: the
 *     control channel (e.g. {@code qemu+tls://10.77.0.2/system})
 * @param tls whether QEMU's migration stream (memory and mirrored disks) is encrypted with TLS
 *     when this node is the source: {@code --migration-tls} / {@code NOVACRON_MIGRATION_TLS}. It
 *     needs the libvirt and QEMU certificates on both nodes (docs/security.md)
 */
public record MigrationTransport(String uri, boolean tls) {

  /** The URI scheme's transport that sends libvirt's RPC in the clear (libvirt's {@code +tcp}). */
  private static final String PLAIN_TRANSPORT = "tcp";

  public MigrationTransport {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("migration-uri is empty: set --migration-uri or NOVACRON_MIGRATION_URI"
          + " to the URI other nodes' libvirtd reach this node's at (e.g. qemu+tls://<host>/system)");
    }
  }

  /** The setting's default URI for {@code host}: {@code qemu+tls} with TLS on, else {@code qemu+tcp}. */
  public static String defaultUri(String host, boolean tls) {
    return (tls ? "qemu+tls://" : "qemu+tcp://") + host + "/system";
  }

  /** The libvirt migration flags this transport adds to a live migration. */
  int flags() {
    return tls ? MigrateFlags.TLS : 0;
  }

  /**
   * Why a migration from this node to {@code targetUri} must not start, if it must not: with TLS on,
   * the target's control channel must not be plain TCP either (the operator asked for encrypted
   * migrations; half of one is a misconfiguration, most likely a target without the setting).
   */
  Optional<String> refusal(String targetUri) {
    if (!tls || !PLAIN_TRANSPORT.equals(transport(targetUri))) {
      return Optional.empty();
    }
    return Optional.of("this node migrates over TLS (NOVACRON_MIGRATION_TLS=true) but the target offers its"
        + " libvirtd at " + targetUri + ", plain TCP: on the target node set NOVACRON_MIGRATION_TLS=true (and"
        + " install its libvirt certificates, docs/security.md), or NOVACRON_MIGRATION_URI=qemu+tls://<host>/system");
  }

  /**
   * The transport of a libvirt URI: the part after {@code +} in the scheme ({@code qemu+tcp} ->
   * {@code tcp}); {@code ""} where there is none.
   */
  static String transport(String libvirtUri) {
    String scheme;
    try {
      scheme = URI.create(libvirtUri).getScheme();
    } catch (IllegalArgumentException e) {
      int colon = libvirtUri.indexOf(':');
      scheme = colon < 0 ? "" : libvirtUri.substring(0, colon);
    }
    if (scheme == null) {
      return "";
    }
    int plus = scheme.indexOf('+');
    return plus < 0 ? "" : scheme.substring(plus + 1).toLowerCase(Locale.ROOT);
  }
}
