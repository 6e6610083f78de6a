package io.novacron.host.libvirt;

import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/** libvirt error codes mapped in one place. */
public final class LibvirtErrors {
  private LibvirtErrors() {}

  public static boolean isNoDomain(LibvirtException e) {
    return code(e) == ErrorNumber.VIR_ERR_NO_DOMAIN;
  }

  public static boolean isNoStorageVolume(LibvirtException e) {
    return code(e) == ErrorNumber.VIR_ERR_NO_STORAGE_VOL;
  }

  public static boolean isNoStoragePool(LibvirtException e) {
    return code(e) == ErrorNumber.VIR_ERR_NO_STORAGE_POOL;
  }

  /** Destroying a domain that is not running. */
  public static boolean isNotRunning(LibvirtException e) {
    return code(e) == ErrorNumber.VIR_ERR_OPERATION_INVALID;
  }

  /** The driver has no such call (libvirt's test:///default has no job statistics). */
  public static boolean isUnsupported(LibvirtException e) {
    return code(e) == ErrorNumber.VIR_ERR_NO_SUPPORT;
  }

  private static ErrorNumber code(LibvirtException e) {
    return e.getError() == null ? null : e.getError().getCode();
  }
}
