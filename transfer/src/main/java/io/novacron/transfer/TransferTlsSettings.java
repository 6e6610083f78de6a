package io.novacron.transfer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a node's transfer engine protects its streams, decided from the environment alone (no files
 * are read here, so that the rule is testable on its own):
 *
 * <ul>
 *   <li>{@code NOVACRON_TRANSFER_TLS_CERT}, {@code _KEY} and {@code _CA} set (all three): mutual
 *       TLS 1.3, {@link Mode#MTLS}.
 *   <li>{@code NOVACRON_TRANSFER_TLS=off} and none of the files: plaintext, because the operator
 *       said so ({@link Mode#PLAINTEXT}), listening on every interface.
 *   <li>Nothing set and the advertised host is a loopback address (one machine, as
 *       {@code novacron up} runs it): plaintext that never leaves the machine
 *       ({@link Mode#LOOPBACK}); the receiver then listens on loopback only.
 *   <li>Nothing set otherwise: refused. Disks and memory images would cross the network readable.
 * </ul>
 *
 * @param mode what the engine does
 * @param cert the node's certificate (PEM), only with {@link Mode#MTLS}
 * @param key its PKCS#8 key (PEM), only with {@link Mode#MTLS}
 * @param ca the deployment's CA (PEM), only with {@link Mode#MTLS}
 */
public record TransferTlsSettings(Mode mode, Path cert, Path key, Path ca) {
  public static final String SWITCH = "NOVACRON_TRANSFER_TLS";
  public static final String CERT = "NOVACRON_TRANSFER_TLS_CERT";
  public static final String KEY = "NOVACRON_TRANSFER_TLS_KEY";
  public static final String CA = "NOVACRON_TRANSFER_TLS_CA";

  /** How streams travel. */
  public enum Mode {
    /** Mutual TLS 1.3 with node certificates. */
    MTLS,
    /** Plaintext, chosen explicitly with {@code NOVACRON_TRANSFER_TLS=off}. */
    PLAINTEXT,
    /** Plaintext on a single machine: the receiver listens on loopback only. */
    LOOPBACK
  }

  /**
   * The settings {@code env} asks for.
   *
   * @param advertisedHost the address senders connect to (NOVACRON_TRANSFER_HOST or the host name)
   * @throws IllegalArgumentException naming the variables to set when the settings are incomplete,
   *     contradict each other, or would send data in plaintext over the network without being asked
   */
  public static TransferTlsSettings decide(Map<String, String> env, String advertisedHost) {
    String cert = setting(env, CERT);
    String key = setting(env, KEY);
    String ca = setting(env, CA);
    String mode = setting(env, SWITCH);
    mode = mode == null ? "" : mode.toLowerCase(Locale.ROOT);
    if (!List.of("", "on", "off").contains(mode)) {
      throw new IllegalArgumentException(SWITCH + "=" + mode + ": use on (mutual TLS, the default with "
          + CERT + ", " + KEY + ", " + CA + ") or off (plaintext)");
    }
    boolean anyFile = cert != null || key != null || ca != null;
    if (mode.equals("off")) {
      if (anyFile) {
        throw new IllegalArgumentException(SWITCH + "=off contradicts " + CERT + "/" + KEY + "/" + CA
            + ": unset " + SWITCH + " to use TLS, or the file settings to use plaintext");
      }
      return new TransferTlsSettings(Mode.PLAINTEXT, null, null, null);
    }
    if (anyFile || mode.equals("on")) {
      List<String> missing = new ArrayList<>();
      if (cert == null) {
        missing.add(CERT);
      }
      if (key == null) {
        missing.add(KEY);
      }
      if (ca == null) {
        missing.add(CA);
      }
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("transfer TLS needs " + String.join(", ", missing)
            + " too: the node's certificate, its PKCS#8 key and the deployment's CA, as"
            + " deploy/temporal/scripts/make-certs.sh OUTDIR --nodes=<node> writes them");
      }
      return new TransferTlsSettings(Mode.MTLS, Path.of(cert), Path.of(key), Path.of(ca));
    }
    if (isLoopback(advertisedHost)) {
      return new TransferTlsSettings(Mode.LOOPBACK, null, null, null);
    }
    throw new IllegalArgumentException("transfers to " + advertisedHost + " would carry disks and memory images"
        + " in plaintext: set " + CERT + ", " + KEY + " and " + CA + " (deploy/temporal/scripts/make-certs.sh OUTDIR"
        + " --nodes=<node>; docs/security.md, \"TLS between nodes\"), or " + SWITCH + "=off to accept plaintext");
  }

  /** True for mutual TLS. */
  public boolean tls() {
    return mode == Mode.MTLS;
  }

  /**
   * Whether senders reach {@code host} only from this machine: "localhost" or a loopback address
   * literal. Names are not resolved: what counts is what other machines would resolve.
   */
  static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.equals("localhost") || h.matches("127(\\.\\d{1,3}){3}") || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1");
  }

  private static String setting(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
