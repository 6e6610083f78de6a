package io.novacron.host.migrate;

import io.novacron.host.libvirt.Domains;
import io.novacron.host.libvirt.XmlDocuments;
import io.novacron.workflows.migrate.FrozenDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.libvirt.Domain;
import org.libvirt.DomainBlockJobInfo;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pre-copy overlay of a running VM's root disk ({@code vda}): put on top so that the disk below
 * stops changing and can be copied while the guest runs, and merged back into it afterwards (on
 * the target after the switch-over, on the source when a migration is undone).
 *
 * <p>Both steps are libvirt's own: an external disk-only snapshot without metadata (nothing to
 * clean up in libvirt's snapshot list) and a shallow active block commit with a pivot. Shallow
 * matters: the disk below may itself sit on a shared base image, which must never receive the
 * guest's writes.
 */
final class DiskOverlay {
  private static final Logger log = LoggerFactory.getLogger(DiskOverlay.class);
  static final String DISK = "vda";
  /** How long a block commit may take to catch up before the agent gives up waiting. */
  private static final long COMMIT_TIMEOUT_MS = 30 * 60 * 1000L;

  /** Told while waiting for the commit, so the caller can heartbeat. */
  @FunctionalInterface
  interface Progress {
    void commit(long done, long total);
  }

  private DiskOverlay() {}

  /**
   * Puts {@code overlay} on top of the running domain's root disk; returns the split. A domain
   * whose root disk already is {@code overlay} (a retry) is left as it is.
   */
  static FrozenDisk freeze(Domain domain, Path overlay) throws LibvirtException, IOException {
    String xml = domain.getXMLDesc(0);
    String top = DomainXmlRewriter.diskSource(xml, DISK);
    if (top == null) {
      throw new IllegalStateException("domain " + domain.getName() + " has no file-backed " + DISK);
    }
    if (!top.equals(overlay.toString())) {
      String snapshot = XmlDocuments.write(x -> x.element("domainsnapshot", s -> {
        s.text("name", "novacron-precopy");
        s.element("disks", disks -> disks.element("disk", d -> {
          d.empty("driver", "type", "qcow2");
          d.empty("source", "file", overlay.toString());
        }, "name", DISK, "snapshot", "external", "type", "file"));
      }));
      domain.snapshotCreateXML(snapshot, Domain.SnapshotCreateFlags.DISK_ONLY
          | Domain.SnapshotCreateFlags.NO_METADATA | Domain.SnapshotCreateFlags.ATOMIC);
      log.info("{} now writes to {}; {} is frozen for its pre-copy", domain.getName(), overlay, top);
      xml = domain.getXMLDesc(0);
    }
    String base = DomainXmlRewriter.backingSource(xml, DISK);
    if (base == null) {
      throw new IllegalStateException("the overlay of " + domain.getName() + " names no disk below it");
    }
    return new FrozenDisk(base, overlay.toString(), Files.size(Path.of(base)));
  }

  /** What {@link #commit} does, from where the domain's root disk stands. */
  enum CommitStep {
    /** The domain writes to the overlay: merge it down, pivot, delete it. */
    MERGE,
    /**
     * The domain reads the image below again, live and in its definition, and the overlay file is
     * still there: an earlier attempt pivoted and died before deleting it. Nothing reads it.
     */
    DELETE_LEFTOVER,
    /** Nothing to do: no overlay, or a domain that does not run (its definition may read it). */
    NONE
  }

  /**
   * Decides {@link #commit}'s step. Pure, so that the retry of an attempt killed at any point
   * between the pivot and the delete is unit-tested: that retry used to find the domain off the
   * overlay, return, and leave the file behind (chaos case live/target-agent/cleanup-source).
   *
   * @param liveTop the running domain's root disk, or null
   * @param definedTop the root disk of its persistent definition, or null
   */
  static CommitStep step(boolean active, String liveTop, String definedTop, String overlay, boolean overlayExists) {
    if (!active) {
      return CommitStep.NONE;
    }
    if (overlay.equals(liveTop)) {
      return CommitStep.MERGE;
    }
    // Deleted only where the domain demonstrably reads another file, live and at its next boot.
    return liveTop != null && overlayExists && !overlay.equals(definedTop)
        ? CommitStep.DELETE_LEFTOVER : CommitStep.NONE;
  }

  /**
   * Merges {@code overlay} into the image below it and pivots the running domain onto that image,
   * then deletes the overlay; safe to repeat after an attempt died anywhere in between (see
   * {@link #step}). Returns true when this call merged and pivoted. Returns false when there was
   * nothing to merge: the domain does not run or does not write to {@code overlay}. In that case
   * the one thing it may still do is delete {@code overlay} itself, where an earlier attempt merged
   * it and pivoted the domain off it but died before deleting it; everything else is left as is.
   */
  static boolean commit(Domain domain, Path overlay, Progress progress)
      throws LibvirtException, IOException, InterruptedException {
    boolean active = domain.isActive() != 0;
    String top = DomainXmlRewriter.diskSource(domain.getXMLDesc(0), DISK);
    String defined = active && !overlay.toString().equals(top)
        ? DomainXmlRewriter.diskSource(domain.getXMLDesc(Domains.XML_INACTIVE), DISK) : null;
    switch (step(active, top, defined, overlay.toString(), Files.exists(overlay))) {
      case NONE:
        return false;
      case DELETE_LEFTOVER:
        Files.deleteIfExists(overlay);
        log.info("deleted {}: an earlier attempt merged it into the disk below and pivoted {} off it",
            overlay, domain.getName());
        return false;
      case MERGE:
      default:
        break;
    }
    DomainBlockJobInfo job = domain.getBlockJobInfo(DISK, 0);
    if (job == null || job.type == 0) {
      domain.blockCommit(DISK, null, null, 0,
          Domain.BlockCommitFlags.ACTIVE | Domain.BlockCommitFlags.SHALLOW);
    }
    long deadline = System.currentTimeMillis() + COMMIT_TIMEOUT_MS;
    while (true) {
      job = domain.getBlockJobInfo(DISK, 0);
      // An active commit is ready to pivot once it has caught up: cur == end (and end > 0).
      if (job != null && job.end > 0 && job.cur == job.end) {
        break;
      }
      if (System.currentTimeMillis() > deadline) {
        domain.blockJobAbort(DISK, 0);
        throw new IOException("block commit of " + overlay + " did not catch up in "
            + COMMIT_TIMEOUT_MS / 60_000 + " min; aborted, the overlay stays");
      }
      progress.commit(job == null ? 0 : job.cur, job == null ? 0 : job.end);
      Thread.sleep(200);
    }
    domain.blockJobAbort(DISK, Domain.BlockJobAbortFlags.PIVOT);
    // The pivot completes asynchronously: wait until the domain reads the image below.
    while (overlay.toString().equals(DomainXmlRewriter.diskSource(domain.getXMLDesc(0), DISK))) {
      if (System.currentTimeMillis() > deadline) {
        throw new IOException("pivot of " + domain.getName() + " off " + overlay + " did not finish");
      }
      Thread.sleep(100);
    }
    Files.deleteIfExists(overlay);
    log.info("merged {} into the disk below it; {} runs from that disk again", overlay, domain.getName());
    return true;
  }
}
