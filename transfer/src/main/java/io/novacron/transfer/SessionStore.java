package io.novacron.transfer;

import io.novacron.workflows.transfer.ReceiveOutcome;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Session records ({@code <id>.session}) and tombstones of finished transfers ({@code <id>.done})
 * in the engine's state directory. A tombstone lets a repeated closeReceive answer with the same
 * outcome, and stops a finished transfer id from being opened again.
 */
final class SessionStore {
  private final Path dir;

  SessionStore(Path dir) {
    this.dir = dir;
  }

  void save(SessionRecord r) throws IOException {
    Properties p = new Properties();
    p.setProperty("transferId", r.transferId());
    p.setProperty("target", r.target());
    p.setProperty("blockSize", Integer.toString(r.blockSize()));
    p.setProperty("delta", Boolean.toString(r.delta()));
    p.setProperty("verify", Boolean.toString(r.verify()));
    p.setProperty("nonce", r.nonce());
    p.setProperty("expiresAtMillis", Long.toString(r.expiresAtMillis()));
    p.setProperty("received", Boolean.toString(r.received()));
    p.setProperty("size", Long.toString(r.size()));
    if (r.sha256() != null) {
      p.setProperty("sha256", r.sha256());
    }
    write(dir.resolve(r.transferId() + ".session"), p);
  }

  List<SessionRecord> loadAll() throws IOException {
    List<SessionRecord> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.session")) {
      for (Path f : files) {
        Properties p = read(f);
        out.add(new SessionRecord(
            p.getProperty("transferId"), p.getProperty("target"),
            Integer.parseInt(p.getProperty("blockSize")), Boolean.parseBoolean(p.getProperty("delta")),
            Boolean.parseBoolean(p.getProperty("verify")), p.getProperty("nonce"),
            Long.parseLong(p.getProperty("expiresAtMillis")), Boolean.parseBoolean(p.getProperty("received")),
            Long.parseLong(p.getProperty("size", "0")), p.getProperty("sha256")));
      }
    }
    return out;
  }

  void delete(String transferId) throws IOException {
    Files.deleteIfExists(dir.resolve(transferId + ".session"));
  }

  void tombstone(ReceiveOutcome outcome) throws IOException {
    Properties p = new Properties();
    p.setProperty("state", outcome.state().name());
    p.setProperty("path", outcome.path());
    p.setProperty("bytes", Long.toString(outcome.bytes()));
    if (outcome.sha256() != null) {
      p.setProperty("sha256", outcome.sha256());
    }
    write(dir.resolve(outcome.transferId() + ".done"), p);
  }

  /** The outcome of a finished transfer, or null. */
  ReceiveOutcome tombstone(String transferId) throws IOException {
    Path f = dir.resolve(transferId + ".done");
    if (!Files.exists(f)) {
      return null;
    }
    Properties p = read(f);
    return new ReceiveOutcome(transferId, ReceiveOutcome.State.valueOf(p.getProperty("state")),
        p.getProperty("path"), Long.parseLong(p.getProperty("bytes")), p.getProperty("sha256"));
  }

  private static void write(Path file, Properties p) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp)) {
      p.store(w, null);
    }
    // Atomic replace: a crash leaves the old record or the new one, never half of one.
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static Properties read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    return p;
  }
}
