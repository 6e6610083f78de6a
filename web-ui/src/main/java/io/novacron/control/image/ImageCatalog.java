package io.novacron.control.image;

import io.novacron.workflows.image.ImageRegistration;
import io.novacron.workflows.image.RegisteredImage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The registered images in PostgreSQL, and which nodes' facts list each. */
@Component
public class ImageCatalog {
  private static final String SELECT = """
      select i.*, array(select n.name from nodes n
                        where i.name = any(string_to_array(n.images, ',')) order by n.name) as holders
      from images i""";

  private final JdbcClient jdbc;

  ImageCatalog(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public List<ImageView> list() {
    return jdbc.sql(SELECT + " order by i.name").query((rs, i) -> view(rs)).list();
  }

  /** One page of {@link #list()}: by name, the primary key's order. */
  public List<ImageView> page(int limit, long offset) {
    return jdbc.sql(SELECT + " order by i.name limit :limit offset :offset").param("limit", limit)
        .param("offset", offset).query((rs, i) -> view(rs)).list();
  }

  /** How many images are registered. */
  public long count() {
    return jdbc.sql("select count(*) from images").query(Long.class).single();
  }

  public Optional<ImageView> find(String name) {
    return jdbc.sql(SELECT + " where i.name = :name").param("name", name).query((rs, i) -> view(rs)).optional();
  }

  /** The registration placement decides with, or empty for an unregistered image. */
  public Optional<RegisteredImage> registered(String name) {
    return find(name).map(v -> new RegisteredImage(v.name(), v.format(), v.sha256(), v.sizeBytes(), v.url(),
        v.node(), v.path()));
  }

  /** Whether a node of that name is in the inventory. */
  public boolean nodeKnown(String node) {
    return jdbc.sql("select exists (select 1 from nodes where name = :node)").param("node", node)
        .query(Boolean.class).single();
  }

  /** The names of every registered image. */
  public Set<String> names() {
    return new HashSet<>(jdbc.sql("select name from images").query(String.class).list());
  }

  /** Inserts the registration; false when an image of that name exists (nothing changed). */
  public boolean insert(ImageRegistration r, Instant at) {
    return jdbc.sql("""
            insert into images (name, format, sha256, size_bytes, url, node, path, created_at)
            values (:name, :format, :sha, :size, :url, :node, :path, :at)
            on conflict (name) do nothing""")
        .param("name", r.name()).param("format", r.format()).param("sha", r.sha256())
        .param("size", r.sizeBytes()).param("url", r.fromUrl() ? r.url() : null)
        .param("node", r.fromUrl() ? null : r.node()).param("path", r.fromUrl() ? null : r.path())
        .param("at", Timestamp.from(at))
        .update() == 1;
  }

  /** What a delete did: deleted, refused for the VMs that use the image, or found nothing. */
  public record Deletion(boolean deleted, List<String> usedBy) {}

  /**
   * Deletes the registration unless a VM record uses the image, in one statement (a VM recorded
   * between a check and a delete cannot slip through).
   */
  public Deletion deleteUnlessUsed(String name) {
    int deleted = jdbc.sql("delete from images where name = :name and not exists (select 1 from vms where image = :name)")
        .param("name", name).update();
    if (deleted == 1) {
      return new Deletion(true, List.of());
    }
    return new Deletion(false, jdbc.sql("select name from vms where image = :name order by name")
        .param("name", name).query(String.class).list());
  }

  private static ImageView view(ResultSet rs) throws SQLException {
    long size = rs.getLong("size_bytes");
    Long sizeBytes = rs.wasNull() ? null : size;
    return new ImageView(rs.getString("name"), rs.getString("format"), rs.getString("sha256"), sizeBytes,
        rs.getString("url"), rs.getString("node"), rs.getString("path"),
        rs.getTimestamp("created_at").toInstant(), List.of((String[]) rs.getArray("holders").getArray()), null);
  }
}
