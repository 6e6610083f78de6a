package io.novacron.transfer;

import java.io.IOException;
import java.net.InetAddress;
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
 */
public record TransferConfig(Path dataDir, String advertisedHost, int bindPort, byte[] secret, Duration tokenTtl) {
  public static final int DEFAULT_PORT = 7950;
  public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(24);
  static final String SECRET_FILE = "secret";

  public TransferConfig(Path dataDir, String advertisedHost, int bindPort, byte[] secret) {
    this(dataDir, advertisedHost, bindPort, secret, DEFAULT_TOKEN_TTL);
  }

  /**
   * From {@code NOVACRON_TRANSFER_HOST} (default: this host's name), {@code NOVACRON_TRANSFER_PORT}
   * (default {@value #DEFAULT_PORT}) and {@code NOVACRON_TRANSFER_SECRET} (hex). Without a secret
   * the node generates one once and keeps it in {@code <dataDir>/.transfers/secret} (mode 0600),
   * so that tokens survive an agent restart and a transfer can resume.
   */
  public static TransferConfig fromEnv(Path dataDir, Map<String, String> env) throws IOException {
    String host = env.getOrDefault("NOVACRON_TRANSFER_HOST", "");
    if (host.isBlank()) {
      host = InetAddress.getLocalHost().getHostName();
    }
    int port = Integer.parseInt(env.getOrDefault("NOVACRON_TRANSFER_PORT", String.valueOf(DEFAULT_PORT)));
    String hex = env.getOrDefault("NOVACRON_TRANSFER_SECRET", "");
    byte[] secret = hex.isBlank() ? persistedSecret(dataDir) : HexFormat.of().parseHex(hex.trim());
    return new TransferConfig(dataDir, host, port, secret);
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
        + ", tokenTtl=" + tokenTtl + "]";
  }
}
