package io.novacron.host.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;

/**
 * libvirt calls that libvirt-java 0.5.4 does not wrap, made through JNA on a connection of their
 * own: {@code virDomainRestoreFlags} (restore with a replacement XML, paused) and
 * {@code virDomainMigrateStartPostCopy}. libvirt-java keeps its connection pointer package-private,
 * so each call opens (and closes) a short connection to the same URI; on the local socket that
 * costs a few milliseconds.
 */
public final class LibvirtNative {
  /** {@code VIR_DOMAIN_SAVE_PAUSED}: the restored guest stays paused. */
  public static final int SAVE_PAUSED = 4;

  /** The few C entry points used here. */
  interface Virt extends Library {
    Pointer virConnectOpen(String uri);

    int virConnectClose(Pointer conn);

    int virDomainRestoreFlags(Pointer conn, String from, String dxml, int flags);

    Pointer virDomainLookupByName(Pointer conn, String name);

    int virDomainMigrateStartPostCopy(Pointer domain, int flags);

    int virDomainGetState(Pointer domain, int[] state, int[] reason, int flags);

    int virDomainFree(Pointer domain);

    String virGetLastErrorMessage();
  }

  private static final class Holder {
    static final Virt VIRT = Native.load("virt", Virt.class);
  }

  private final String uri;

  public LibvirtNative(String uri) {
    this.uri = uri;
  }

  /**
   * Restores a domain saved with {@code virDomainSave} from {@code file}, replacing the XML stored
   * in the file by {@code domainXml} (the target's disk and console paths) when it is not null.
   */
  public void restore(String file, String domainXml, int flags) throws IOException {
    withConnection(conn -> check(Holder.VIRT.virDomainRestoreFlags(conn, file, domainXml, flags),
        "restore " + file));
  }

  /** Switches a running migration of {@code vmName} (started with POSTCOPY) to post-copy. */
  public void startPostCopy(String vmName) throws IOException {
    withDomain(vmName, domain -> check(Holder.VIRT.virDomainMigrateStartPostCopy(domain, 0),
        "start post-copy of " + vmName));
  }

  /**
   * The domain's state and the reason for it ({@code virDomainGetState}), e.g. {1, 10}: running
   * because post-copy switched it over. libvirt-java reports the state only.
   *
   * @return {state, reason}
   */
  public int[] state(String vmName) throws IOException {
    int[] state = new int[1];
    int[] reason = new int[1];
    withDomain(vmName, domain -> check(Holder.VIRT.virDomainGetState(domain, state, reason, 0),
        "read the state of " + vmName));
    return new int[] {state[0], reason[0]};
  }

  @FunctionalInterface
  private interface DomainCall {
    void apply(Pointer domain) throws IOException;
  }

  private void withDomain(String vmName, DomainCall call) throws IOException {
    withConnection(conn -> {
      Pointer domain = Holder.VIRT.virDomainLookupByName(conn, vmName);
      if (domain == null) {
        throw error("look up " + vmName);
      }
      try {
        call.apply(domain);
      } finally {
        Holder.VIRT.virDomainFree(domain);
      }
    });
  }

  @FunctionalInterface
  private interface ConnCall {
    void apply(Pointer conn) throws IOException;
  }

  private void withConnection(ConnCall call) throws IOException {
    Pointer conn = Holder.VIRT.virConnectOpen(uri);
    if (conn == null) {
      throw error("connect to " + uri);
    }
    try {
      call.apply(conn);
    } finally {
      Holder.VIRT.virConnectClose(conn);
    }
  }

  private static void check(int rc, String what) throws NativeCallException {
    if (rc < 0) {
      throw error(what);
    }
  }

  private static NativeCallException error(String what) {
    return new NativeCallException(what + ": " + Holder.VIRT.virGetLastErrorMessage());
  }

  /**
   * A failed native call, with libvirt's last error message. An IOException because
   * libvirt-java's LibvirtException cannot be constructed outside its package.
   */
  public static final class NativeCallException extends IOException {
    NativeCallException(String message) {
      super(message);
    }
  }
}
