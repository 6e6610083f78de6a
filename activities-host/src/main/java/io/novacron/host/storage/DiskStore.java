package io.novacron.host.storage;

import io.novacron.host.cloudinit.SeedIso;
import io.novacron.workflows.cloudinit.CloudInit;

import io.novacron.host.libvirt.LibvirtErrors;
import io.novacron.host.libvirt.LibvirtSession;
import io.novacron.host.libvirt.XmlDocuments;
import io.novacron.workflows.host.DiskInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StoragePoolInfo;
import org.libvirt.StorageVol;

/**
 * VM disks as volumes of a libvirt directory pool owned by the agent ({@code novacron-<node>}), so
 * that libvirt (which runs qemu-img for qcow2) creates them, reports their paths, and a remote
 * libvirt can see them during migration. The pool is named after the node because one libvirtd
 * may serve more than one agent (a test stack beside the real one): each owns its own directory.
 */
public final class DiskStore {
  private static final long GIB = 1024L * 1024 * 1024;

  private final LibvirtSession libvirt;
  private final String poolName;
  private final Path directory;
  private final SeedIso seeds = new SeedIso();

  public DiskStore(LibvirtSession libvirt, String node, Path directory) {
    this.libvirt = libvirt;
    this.poolName = poolName(node);
    this.directory = directory.toAbsolutePath();
  }

  /** Name of the libvirt storage pool that holds a node agent's disks. */
  public static String poolName(String node) {
    return "novacron-" + node;
  }

  /** Volume name of a VM's root disk. */
  public static String volumeName(String vmName) {
    return vmName + ".qcow2";
  }

  /**
   * Creates the VM's root disk, backed by {@code backing} when given; returns the existing volume
   * when a retry finds it already made.
   */
  public DiskInfo create(String vmName, long sizeGib, Path backing) throws LibvirtException {
    return createBytes(vmName, sizeGib * GIB, backing);
  }

  /**
   * Creates the VM's root disk of exactly {@code sizeBytes} (an incoming migration's mirror target
   * must match the source's size to the byte); returns the existing volume on a retry.
   */
  public DiskInfo createBytes(String vmName, long sizeBytes, Path backing) throws LibvirtException {
    return createVolume(volumeName(vmName), sizeBytes, backing);
  }

  /** Where a VM's cloud-init seed lives, beside its disk (it may not exist). */
  public Path seedPath(String vmName) {
    return SeedIso.isoPath(directory, vmName);
  }

  /**
   * Writes the VM's NoCloud seed beside its disk (replacing an earlier one); see {@link SeedIso}.
   */
  public Path writeSeed(String vmName, String uuid, CloudInit cloudInit) throws java.io.IOException, InterruptedException {
    java.nio.file.Files.createDirectories(directory);
    return seeds.write(directory, vmName, uuid, cloudInit);
  }

  /** Where a VM's root disk lives in this pool (it may not exist). */
  public Path diskPath(String vmName) {
    return directory.resolve(volumeName(vmName));
  }

  /**
   * Volume name of the overlay a live migration puts on top of a VM's root disk while the disk
   * itself is pre-copied (see {@link #overlayPath}).
   */
  public static String overlayVolumeName(String vmName) {
    return vmName + ".precopy.qcow2";
  }

  /** Where a VM's pre-copy overlay lives in this pool (it may not exist). */
  public Path overlayPath(String vmName) {
    return directory.resolve(overlayVolumeName(vmName));
  }

  /** Creates the VM's pre-copy overlay on top of {@code base}; returns the existing one on a retry. */
  public DiskInfo createOverlay(String vmName, long sizeBytes, Path base) throws LibvirtException {
    return createVolume(overlayVolumeName(vmName), sizeBytes, base);
  }

  private DiskInfo createVolume(String volume, long sizeBytes, Path backing) throws LibvirtException {
    StoragePool pool = pool();
    StorageVol existing = lookup(pool, volume);
    if (existing != null) {
      return info(existing);
    }
    String xml = XmlDocuments.write(x -> x.element("volume", v -> {
      v.text("name", volume);
      v.text("capacity", sizeBytes, "unit", "bytes");
      v.element("target", t -> t.empty("format", "type", "qcow2"));
      if (backing != null) {
        v.element("backingStore", b -> {
          b.text("path", backing.toString());
          // A raw base image stays raw (its registered digest stays true): say so, never probe.
          b.empty("format", "type", BaseImage.formatOf(backing));
        });
      }
    }));
    return info(libvirt.call(c -> pool.storageVolCreateXML(xml, 0)));
  }

  /**
   * Deletes the VM's root disk, its pre-copy overlay and its cloud-init seed, if any; nothing to
   * do when they do not exist.
   */
  public void delete(String vmName) throws LibvirtException {
    try {
      seeds.delete(directory, vmName);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot remove the cloud-init seed of " + vmName, e);
    }
    StoragePool pool = pool();
    // libvirt made the overlay of a snapshot outside the pool's API: the pool learns of it on refresh.
    pool.refresh(0);
    for (String name : new String[] {overlayVolumeName(vmName), volumeName(vmName)}) {
      StorageVol volume = lookup(pool, name);
      if (volume != null) {
        volume.delete(0);
      }
    }
    // A file of the VM's name in the pool's directory that the pool does not list (a driver whose
    // refresh does not scan, as libvirt's test driver) is a leftover of this VM all the same.
    try {
      java.nio.file.Files.deleteIfExists(overlayPath(vmName));
      java.nio.file.Files.deleteIfExists(diskPath(vmName));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot remove the disk files of " + vmName, e);
    }
  }

  /**
   * Grows the VM's root disk to {@code sizeGib}; a disk already that large or larger is left as it
   * is (never shrunk), so a retry changes nothing. Null when the VM has no disk in this pool.
   *
   * <p>Through qemu-img on the volume's file, then a pool refresh so that libvirt reports the new
   * capacity: libvirt's own volume resize runs the same qemu-img for a directory pool, and its test
   * driver cannot resize at all.
   */
  public DiskInfo grow(String vmName, long sizeGib) throws LibvirtException, IOException, InterruptedException {
    StoragePool pool = pool();
    StorageVol volume = lookup(pool, volumeName(vmName));
    if (volume == null) {
      return null;
    }
    String path = volume.getPath();
    long wanted = sizeGib * GIB;
    if (QemuImg.virtualSize(path) < wanted) {
      QemuImg.grow(path, wanted);
      pool.refresh(0);
    }
    return new DiskInfo(path, "qcow2", QemuImg.virtualSize(path));
  }

  /** Capacity and free space of the pool, in bytes: {capacity, available}. */
  public long[] capacity() throws LibvirtException {
    StoragePool pool = pool();
    pool.refresh(0);
    StoragePoolInfo info = pool.getInfo();
    return new long[] {info.capacity, info.available};
  }

  /** The agent's pool, defined, built and started on first use. */
  private StoragePool pool() throws LibvirtException {
    return libvirt.call(c -> {
      StoragePool pool;
      try {
        pool = c.storagePoolLookupByName(poolName);
        checkDirectory(pool);
      } catch (LibvirtException e) {
        if (!LibvirtErrors.isNoStoragePool(e)) {
          throw e;
        }
        createDirectory();
        String xml = XmlDocuments.write(x -> x.element("pool", p -> {
          p.text("name", poolName);
          p.element("target", t -> t.text("path", directory.toString()));
        }, "type", "dir"));
        pool = c.storagePoolDefineXML(xml, 0);
        pool.setAutostart(1);
      }
      if (pool.isActive() == 0) {
        createDirectory();
        pool.create(0);
      }
      return pool;
    });
  }

  /** A pool left by an agent with another data directory must not swallow this agent's disks. */
  private void checkDirectory(StoragePool pool) throws LibvirtException {
    String path = XmlDocuments.text(pool.getXMLDesc(0), "target", "path");
    if (path == null || !Path.of(path).toAbsolutePath().normalize().equals(directory.normalize())) {
      throw new IllegalStateException("libvirt storage pool " + poolName + " points at " + path + ", not "
          + directory + "; remove it (virsh pool-destroy " + poolName + "; virsh pool-undefine "
          + poolName + ") or give the agent its former --data-dir");
    }
  }

  private void createDirectory() {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static StorageVol lookup(StoragePool pool, String name) throws LibvirtException {
    try {
      return pool.storageVolLookupByName(name);
    } catch (LibvirtException e) {
      if (LibvirtErrors.isNoStorageVolume(e)) {
        return null;
      }
      throw e;
    }
  }

  private static DiskInfo info(StorageVol volume) throws LibvirtException {
    return new DiskInfo(volume.getPath(), "qcow2", volume.getInfo().capacity);
  }
}
