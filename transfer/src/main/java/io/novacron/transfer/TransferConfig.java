package io.novacron.transfer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * Settings of a node's transfer engine.
 *
 * @param dataDir the agent's data directory: every transferred file lives inside it
 * @param advertisedHost the address senders on other nodes connect to
 * @param bindPort TCP port the receiver listens on (all interfaces); 0 picks a free one
 * @param secret node secret the one-time tokens are derived from (at least 16 bytes)
 * @param tokenTtl how long a token works if its transfer does not finish
 * @param bindAddress the address the receiver listens on; null for every interface
 * @param tls mutual TLS 1.3 for the streams, sent and received; null for plaintext
 */
public record TransferConfig(Path dataDir, String advertisedHost, int bindPort, byte[] secret, Duration tokenTtl,
    InetAddress bindAddress, TransferTls tls) {
  public static final int DEFAULT_PORT = 7950;
  public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(24);
  static final String SECRET_FILE = "secret";

  /** Plaintext on every interface: tests and benchmarks; agents use {@link #fromEnv}. */
  public TransferConfig(Path dataDir, String advertisedHost, int bindPort, byte[] secret) {
    this(dataDir, advertisedHost, bindPort, secret, DEFAULT_TOKEN_TTL);
  }

  /** Plaintext on every interface: tests and benchmarks; agents use {@link #fromEnv}. */
  public TransferConfig(Path dataDir, String advertisedHost, int bindPort, byte[] secret, Duration tokenTtl) {
    this(dataDir, advertisedHost, bindPort, secret, tokenTtl, null, null);
  }

  /** The same settings with streams over mutual TLS (null: plaintext). */
  public TransferConfig withTls(TransferTls tls) {
    return new TransferConfig(dataDir, advertisedHost, bindPort, secret, tokenTtl, bindAddress, tls);
  }

  /**
   * From {@code NOVACRON_TRANSFER_HOST} (default: this host's name), {@code NOVACRON_TRANSFER_PORT}
   * (default {@value #DEFAULT_PORT}) and {@code NOVACRON_TRANSFER_SECRET} (hex). Without a secret
   * the node generates one once and keeps it in {@code <dataDir>/.transfers/secret} (mode 0600),
   * so that tokens survive an agent restart and a transfer can resume. TLS:
   * {@link TransferTlsSettings#decide} (mutual TLS 1.3 with {@code NOVACRON_TRANSFER_TLS_CERT},
   * {@code _KEY}, {@code _CA}; plaintext only with {@code NOVACRON_TRANSFER_TLS=off}, or on loopback).
   *
   * @throws IllegalArgumentException when the TLS settings are incomplete, unusable, or missing for
   *     a host other nodes reach
   */
  public static TransferConfig fromEnv(Path dataDir, Map<String, String> env) throws IOException {
    String host = env.getOrDefault("NOVACRON_TRANSFER_HOST", "");
    if (host.isBlank()) {
      host = ownHostName(InetAddress::getLocalHost);
    }
    int port = Integer.parseInt(env.getOrDefault("NOVACRON_TRANSFER_PORT", String.valueOf(DEFAULT_PORT)));
    String hex = env.getOrDefault("NOVACRON_TRANSFER_SECRET", "");
    byte[] secret = hex.isBlank() ? persistedSecret(dataDir) : HexFormat.of().parseHex(hex.trim());
    TransferTlsSettings security = TransferTlsSettings.decide(env, host);
    return switch (security.mode()) {
      case MTLS -> new TransferConfig(dataDir, host, port, secret, DEFAULT_TOKEN_TTL, null,
          TransferTls.fromPem(security.cert(), security.key(), security.ca()));
      case PLAINTEXT -> new TransferConfig(dataDir, host, port, secret, DEFAULT_TOKEN_TTL, null, null);
      // Plaintext only because nothing leaves the machine: listen where that stays true.
      case LOOPBACK -> new TransferConfig(dataDir, host, port, secret, DEFAULT_TOKEN_TTL, loopback(host), null);
    };
  }

  /** How this machine's own address is looked up: {@link InetAddress#getLocalHost} outside tests. */
  @FunctionalInterface
  interface LocalHostLookup {
    InetAddress lookup() throws UnknownHostException;
  }

  /**
   * This machine's host name, the default address other nodes reach it at.
   *
   * @throws IllegalArgumentException naming {@code NOVACRON_TRANSFER_HOST} when the host name does
   *     not resolve (a machine whose /etc/hosts lacks its own name, e.g. an image made with
   *     debootstrap): the JDK's bare UnknownHostException says neither what nor how to fix it
   */
  static String ownHostName(LocalHostLookup lookup) {
    try {
      return lookup.lookup().getHostName();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("NOVACRON_TRANSFER_HOST is not set and this machine's host name does not"
          + " resolve (" + e.getMessage() + "): set NOVACRON_TRANSFER_HOST to the name or address other nodes reach"
          + " this node at, or add the host name to /etc/hosts", e);
    }
  }

  private static InetAddress loopback(String host) throws UnknownHostException {
    return host.trim().equalsIgnoreCase("localhost") ? InetAddress.getLoopbackAddress()
        : InetAddress.getByName(host.trim());
  }

  /** The node's generated secret, created on first use. */
  static byte[] persistedSecret(Path dataDir) throws IOException {
    Path dir = dataDir.resolve(TransferPaths.STATE_DIR);
    Files.createDirectories(dir);
    Path file = dir.resolve(SECRET_FILE);
    if (Files.exists(file)) {
      return HexFormat.of().parseHex(Files.readString(file).trim());
    }
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    Path tmp = dir.resolve(SECRET_FILE + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, HexFormat.of().formatHex(secret), StandardOpenOption.TRUNCATE_EXISTING);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return secret;
  }

  @Override
  public String toString() {
    return "TransferConfig[dataDir=" + dataDir + ", advertisedHost=" + advertisedHost + ", bindPort=" + bindPort
        + ", tokenTtl=" + tokenTtl + ", bindAddress=" + (bindAddress == null ? "*" : bindAddress.getHostAddress())
        + ", tls=" + (tls == null ? "off" : "TLSv1.3 as " + tls.subject()) + "]";
  }
}
